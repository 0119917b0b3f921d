#!/usr/bin/env bash
# adopt.sh OVERLAY: apply an OpenAPI Overlay to openapi.yaml (comments and
# key order kept), regenerate, and run the spec-to-wrapper check, which
# names what the wrapper must now follow: the maintainer's next step.
# The overlay comes from `make upstream SCHEMA=... OVERLAY=...` or from
# peoplemock's GET /_peoplemock/drift/overlay. The tool is built from
# tools/go.mod into a temporary directory; nothing is installed.
set -euo pipefail

allow=()
if [ "${1:-}" = -allow-breaking ]; then
	allow=(-allow-breaking)
	shift
fi
overlay=${1:-}
if [ -z "$overlay" ] || [ ! -f "$overlay" ]; then
	echo "adopt: give an overlay file: make adopt OVERLAY=path/to/overlay.yaml" >&2
	exit 2
fi
overlay="$(cd "$(dirname "$overlay")" && pwd)/$(basename "$overlay")"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -C tools -o "$tmp/" ./adopt
cp wrapper/models.gen.go "$tmp/models.before.go"
"$tmp/adopt" "${allow[@]}" -spec openapi.yaml "$overlay"

echo "adopt: regenerating (go generate ./...)"
go generate ./...

# What was generated must build: two properties one Go name apart, say,
# compile to one field declared twice.
if ! out=$(go build ./... 2>&1); then
	echo "adopt: the regenerated code does not build; openapi.yaml and generated/ are changed, so revert them (git checkout openapi.yaml generated internal/spec wrapper/models.gen.go) or fix the spec:" >&2
	echo "$out" | head -20 >&2
	exit 1
fi

# Name what users gain in CHANGELOG.md and, for live traffic, why
# openapi.yaml now says more than the published schema.
"$tmp/adopt" follow -before "$tmp/models.before.go" "$overlay"

echo "adopt: checking the wrapper against the new openapi.yaml"
if out=$(go test -count=1 -run '^TestWrapperMatchesSpec$' ./internal/specsync 2>&1); then
	echo "adopt: the wrapper covers everything openapi.yaml now says; nothing is left by hand."
	echo "Next: make test, then make breaking."
else
	echo "adopt: the wrapper must now follow openapi.yaml; the check says:"
	said=$(echo "$out" | sed -n 's/^[[:space:]]*\(enum\|bound\|operation\|property\|required\|fact\|retry\): /  - \1: /p')
	if [ -n "$said" ]; then echo "$said"; else echo "$out" | tail -20; fi
	echo
	echo "Next, by hand: what the check names (a new operation needs a wrapper method; a new schema an entry"
	echo "in modelgen.yaml), then make test and make breaking."
fi
