#!/usr/bin/env bash
# adopt.sh OVERLAY: apply an OpenAPI Overlay to openapi.yaml (comments and
# key order kept), regenerate, and run the spec-to-wrapper check, which
# names what the wrapper must now follow: the maintainer's next step.
# The overlay comes from `make upstream SCHEMA=... OVERLAY=...` or from
# peoplemock's GET /_peoplemock/drift/overlay. The tool is built from
# tools/go.mod into a temporary directory; nothing is installed.
set -euo pipefail

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
"$tmp/adopt" -spec openapi.yaml "$overlay"

echo "adopt: regenerating (go generate ./...)"
go generate ./...

echo "adopt: checking the wrapper against the new openapi.yaml"
if out=$(go test -count=1 -run '^TestWrapperMatchesSpec$' ./internal/specsync 2>&1); then
	echo "adopt: the wrapper already covers everything openapi.yaml now says."
else
	echo "adopt: the wrapper must now follow openapi.yaml; the check says:"
	echo "$out" | sed -n 's/^[[:space:]]*\(enum\|bound\|operation\|property\|required\|fact\|retry\): /  - \1: /p'
	echo
	echo "Next: make those changes in wrapper/, add an entry to CHANGELOG.md (under Breaking for a new value of"
	echo "a response enum, which breaks clients with closed enums), then make test and make breaking."
fi
