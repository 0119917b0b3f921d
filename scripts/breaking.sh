#!/usr/bin/env bash
# breaking.sh [BASE]: what changed for users between BASE and the working
# tree, in the HTTP contract (openapi.yaml, through oasdiff) and in the Go API
# (wrapper, wrapper/peopletest, generated, generated/server, through apidiff).
# A breaking change fails unless CHANGELOG.md's "## [Unreleased]" section has a
# "### Breaking" entry ("- ...") that was not there at BASE.
#
# BASE defaults to the last release: the newest v* tag or, without one, the
# commit that wrote CHANGELOG.md's newest released heading ("## [x.y.z] -
# date"); the first commit only when there is neither. With --ci, BASE is
# the same last release when there is one, else the parent of the last
# commit that touched the spec, the generator settings or a public Go
# package: the change most likely to need an entry.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

module=github.com/cldpeople/cloudinary-people-go
packages=(wrapper wrapper/peopletest generated generated/server)
api_paths=(openapi.yaml 'oapi-codegen*.yaml' generated wrapper/*.go wrapper/peopletest/*.go)

# release is the last release's commit, "" when nothing was released.
release() {
	git describe --tags --abbrev=0 --match 'v*' 2>/dev/null && return
	local heading
	heading=$(grep -m1 -E '^## \[[0-9]+\.[0-9]+\.[0-9]+[^]]*\] - ' CHANGELOG.md || true)
	[ -n "$heading" ] && git log -1 --format=%H -S"$heading" -- CHANGELOG.md 2>/dev/null
}

base=${1:-}
if [ "$base" = "--ci" ]; then
	base=$(release || true)
	if [ -z "$base" ]; then
		last=$(git log -1 --format=%H -- "${api_paths[@]}" ':!*_test.go')
		# In a shallow clone the parent may be missing: compare with the
		# commit itself then, which checks only uncommitted changes.
		base=$(git rev-parse -q --verify "${last:-HEAD}^" 2>/dev/null || echo "${last:-HEAD}")
	fi
elif [ -z "$base" ]; then
	base=$(release || true)
	base=${base:-$(git rev-list --max-parents=0 HEAD | tail -1)}
fi
if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
	echo "breaking: BASE '$base' is not a commit here (a shallow clone?)" >&2
	exit 2
fi
echo "Comparing $(git rev-parse --short "$base^{commit}") ($base) with the working tree"

tmp=$(mktemp -d)
cleanup() {
	git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# The tools are pinned in tools/go.mod (tools/tools.go). They are built into a
# temporary directory rather than run with `go run`, because apidiff must run
# inside the module it inspects; nothing is installed.
go build -C tools -o "$tmp/bin/" github.com/oasdiff/oasdiff golang.org/x/exp/cmd/apidiff

breaking=()

echo
echo "== HTTP contract (openapi.yaml)"
if git cat-file -e "$base:openapi.yaml" 2>/dev/null; then
	git show "$base:openapi.yaml" >"$tmp/base.yaml"
	"$tmp/bin/oasdiff" changelog "$tmp/base.yaml" openapi.yaml
	# The changelog above shows each breaking change as an "error" line.
	if ! "$tmp/bin/oasdiff" breaking --fail-on ERR "$tmp/base.yaml" openapi.yaml >/dev/null 2>&1; then
		breaking+=("HTTP contract")
	fi
else
	echo "(no openapi.yaml at BASE)"
fi

echo
echo "== Go API"
git worktree add --quiet --detach "$tmp/base" "$base"
for pkg in "${packages[@]}"; do
	echo "-- $pkg"
	if [ ! -d "$tmp/base/$pkg" ]; then
		echo "   new package"
		continue
	fi
	if [ ! -d "$pkg" ]; then
		echo "   removed"
		breaking+=("Go package $pkg removed")
		continue
	fi
	(cd "$tmp/base" && "$tmp/bin/apidiff" -w "$tmp/old.x" "$module/$pkg")
	"$tmp/bin/apidiff" -w "$tmp/new.x" "$module/$pkg"
	"$tmp/bin/apidiff" "$tmp/old.x" "$tmp/new.x" | sed 's/^/   /'
	if [ -n "$("$tmp/bin/apidiff" -incompatible "$tmp/old.x" "$tmp/new.x")" ]; then
		breaking+=("Go API of $pkg")
	fi
done

echo
if [ ${#breaking[@]} -eq 0 ]; then
	echo "breaking: no breaking change since $base"
	exit 0
fi
# A break is announced by a "- " entry under "### Breaking" in the
# "## [Unreleased]" section that was not there at BASE: entries written for
# earlier breaks do not cover a new one.
breaking_entries() {
	awk '/^## \[Unreleased\]/{on=1; next} /^## \[/{on=0} on' |
		awk '/^### Breaking/{on=1; next} /^### /{on=0} on && /^- /' | sort -u
}
now=$(breaking_entries <CHANGELOG.md 2>/dev/null || true)
before=$(git show "$base:CHANGELOG.md" 2>/dev/null | breaking_entries || true)
new_entries=$(comm -23 <(printf '%s\n' "$now" | sed '/^$/d') <(printf '%s\n' "$before" | sed '/^$/d') | wc -l)
if [ "$new_entries" -gt 0 ]; then
	echo "breaking: breaking changes (${breaking[*]}) are announced in CHANGELOG.md: $new_entries new entries under [Unreleased] / ### Breaking since $base"
	exit 0
fi
echo "breaking: breaking changes (${breaking[*]}) since $base, but CHANGELOG.md has no new '### Breaking' entry under [Unreleased] since then." >&2
echo "Add one ('- what changed and what users do about it'), or make the change compatible." >&2
exit 1
