#!/usr/bin/env bash
# upstream.sh SCHEMA: compare the people operations of Cloudinary's published
# OpenAPI document (SCHEMA, e.g. api/schema.yml of
# github.com/cloudinary/api-schemas, downloaded by the maintainer) with
# openapi.yaml, and check every difference against upstream-deviations.yaml.
# oasdiff and the checker are built from tools/go.mod into a temporary
# directory; nothing is installed.
set -euo pipefail

schema=${1:-}
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
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -C tools -o "$tmp/" github.com/oasdiff/oasdiff ./upstream
"$tmp/upstream" -oasdiff "$tmp/oasdiff" -spec openapi.yaml -deviations upstream-deviations.yaml "$schema"
