#!/usr/bin/env bash
# upstream.sh [-v] SCHEMA [OVERLAY]: compare the people operations of Cloudinary's published
# OpenAPI document (SCHEMA, e.g. api/schema.yml of
# github.com/cloudinary/api-schemas, downloaded by the maintainer) with
# openapi.yaml, and check every difference against upstream-deviations.yaml.
# oasdiff and the checker are built from tools/go.mod into a temporary
# directory; nothing is installed.
set -euo pipefail
# Exit status: 0 every difference is known; 1 new differences; 2 the tool
# failed (no schema, a document without people operations, oasdiff broke).
# make upstream passes it on as "Error 1" or "Error 2" (make itself exits 2).

verbose=()
if [ "${1:-}" = -v ]; then
	verbose=(-v)
	shift
fi
schema=${1:-}
overlay=${2:-}
if [ -z "$schema" ]; then
	echo "upstream: give the published schema: make upstream SCHEMA=path/to/schema.yml" >&2
	echo "(download api/schema.yml from https://github.com/cloudinary/api-schemas)" >&2
	exit 2
fi
if [ ! -f "$schema" ]; then
	echo "upstream: $schema: no such file" >&2
	exit 2
fi
schema="$(cd "$(dirname "$schema")" && pwd)/$(basename "$schema")"
overlay_flag=()
if [ -n "$overlay" ]; then
	# The additive differences, as an OpenAPI Overlay for make adopt.
	overlay_flag=(-overlay "$(cd "$(dirname "$overlay")" && pwd)/$(basename "$overlay")")
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! go build -C tools -o "$tmp/" github.com/oasdiff/oasdiff ./upstream; then
	echo "upstream: building the tools failed" >&2
	exit 2
fi
"$tmp/upstream" "${verbose[@]}" "${overlay_flag[@]}" -oasdiff "$tmp/oasdiff" -spec openapi.yaml -deviations upstream-deviations.yaml "$schema"
