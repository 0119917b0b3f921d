# Everything CI checks is `make test`; `make demo` shows the SDK working with
# no Cloudinary account. Both need nothing but Go (and a C compiler for -race).

SHELL := bash

GO       ?= go
PKGS      = ./...
FUZZTIME ?= 30s

.PHONY: all generate check-generated test test-go test-tools test-breaking dist cover upstream lint staticcheck vet fmt demo contract bench bench-fake bench-jobs fuzz tidy breaking breaking-ci adopt

all: test

## generate: regenerate generated/ from openapi.yaml (after editing the spec)
generate:
	$(GO) generate ./...

## check-generated: fail if generated/, wrapper/models.gen.go and the spec copy in internal/spec are not what the generators make of openapi.yaml today
check-generated:
	@bash scripts/check-generated.sh

## lint: gofmt, go vet and staticcheck (pinned in tools/go.mod, built into a temporary directory)
lint: fmt vet staticcheck

staticcheck:
	@bin=$$(mktemp -d) && trap 'rm -rf "$$bin"' EXIT && \
	if ! out=$$($(GO) build -C tools -o "$$bin/" honnef.co/go/tools/cmd/staticcheck 2>&1); then \
		if [ "$${CI:-}" = true ]; then echo "$$out"; exit 1; fi; \
		echo "staticcheck: skipped: building it needs Go 1.26 (tools/go.mod): $$(echo "$$out" | tail -1)"; exit 0; \
	fi && \
	"$$bin/staticcheck" ./... && echo "staticcheck: clean"

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

## test: lint, generated-code freshness, spec validation and all tests with the race detector
## (but the maintainer tools' drills, which test-breaking runs)
DRILLS = ^(TestMakeBreaking|TestMakeUpstream|TestTheRegenerationLoopFrom.*)$$
# GORACE: the race detector's default second of sleep before each test
# binary exits, which only lets goroutines still running report, is cut.
# -p 4 and -parallel 8: test binaries link while others run, and the tests
# that wait on the clock overlap, more than the defaults of one per core
# let. -vet=off: lint runs all of vet, alongside.
# The three run at once: linking the race-enabled test binaries leaves a
# core idle often enough for the checks to finish in its gaps.
test:
	@$(MAKE) --no-print-directory -j3 lint check-generated test-go test-tools

test-go:
	GORACE=atexit_sleep_ms=0 $(GO) test -race -count=1 -vet=off -p 4 -parallel 8 -skip '$(DRILLS)' $(PKGS)

## test-tools: the maintainer tools' own tests (tools/go.mod: adopt, upstream)
test-tools:
	$(GO) test -C tools -count=1 ./...

## test-breaking: the end-to-end drills in scratch worktrees: make breaking, and the regeneration loop
## from live drift through make adopt (about a minute)
test-breaking:
	$(GO) test -count=1 -run '$(DRILLS)' -v .

## demo: run every example against the bundled fake People API (no account needed)
demo:
	@for ex in quickstart pagination update errors contract; do \
		echo "=== examples/$$ex (fake People API) ==="; \
		$(GO) run ./examples/$$ex -fake || exit 1; \
		echo; \
	done

## contract: the conformance cases derived from openapi.yaml against the live API (needs CLOUDINARY_URL);
## read-only unless ARGS=-write
ARGS ?=
contract:
	$(GO) run ./examples/contract $(ARGS)

## bench: wrapper vs raw net/http, pagination memory, concurrency, the contract check's own cost, and OpenTelemetry's
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./wrapper | $(GO) run ./internal/benchtable
	$(GO) test -run '^$$' -bench 'ValidatingTransportAlone' -benchmem -count=1 ./wrapper/peopletest
	$(GO) test -run '^$$' -bench 'Instrumented' -benchmem -count=1 ./wrapper/peopleotel

## bench-fake: the fake at 10,000 and 1,000,000 people: first pages, a page after an update, a whole walk (about a minute)
bench-fake:
	$(GO) test -run '^$$' -bench 'FakeFirstPage|FakePageAfterUpdate' -benchtime 20x -count=1 ./wrapper/peopletest
	$(GO) test -run '^$$' -bench 'FakeWalk' -benchtime 1x -count=1 -timeout 10m ./wrapper/peopletest

## bench-jobs: the people command's figures: an export of 1,000,000 people, a resume after SIGKILL, three exports sharing Redis (about a minute; needs redis-server)
bench-jobs:
	$(GO) test -run '^$$' -bench . -benchtime 1x -count=1 -timeout 10m ./cmd/people

## fuzz: run each fuzz target for FUZZTIME
fuzz:
	@for target in FuzzParseCloudinaryURL FuzzCloudinaryURLParts FuzzDecodeAPIError FuzzDecodePerson; do \
		$(GO) test ./wrapper -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

## breaking: HTTP (oasdiff) and Go (apidiff) changes since BASE (default: newest v* tag, else the first commit);
## fails on a breaking change without a "### Breaking" entry under [Unreleased] in CHANGELOG.md
BASE ?=
breaking:
	@bash scripts/breaking.sh $(BASE)

## upstream: the people operations of Cloudinary's published schema (SCHEMA=<file>, downloaded from
## github.com/cloudinary/api-schemas) against openapi.yaml; fails on a difference upstream-deviations.yaml does not
## explain ("Error 1"), or when it cannot compare ("Error 2"); V=1 lists what each known deviation explains;
## OVERLAY=<file> writes the additive differences as an OpenAPI Overlay for make adopt
SCHEMA ?=
V ?=
OVERLAY ?=
upstream:
	@bash scripts/upstream.sh $(if $(V),-v) $(SCHEMA) $(OVERLAY)

## adopt: apply an OpenAPI Overlay (OVERLAY=<file>, from make upstream or peoplemock's /_peoplemock/drift/overlay)
## to openapi.yaml, regenerate, and name what the wrapper must now follow; only additive actions unless BREAKING=1
BREAKING ?=
adopt:
	@bash scripts/adopt.sh $(if $(BREAKING),-allow-breaking) $(OVERLAY)

## cover: each package's own tests' coverage as a table (generated code, examples and test helpers aside); fails under 75%
cover:
	@bash scripts/cover.sh

## dist: people and peoplemock for linux, macOS and Windows (amd64, arm64) in dist/, with SHA256SUMS; reproducible
dist:
	@bash scripts/dist.sh

## breaking-ci: as breaking, against the newest v* tag or else the last change to the spec or a public Go package
breaking-ci:
	@bash scripts/breaking.sh --ci
