#!/usr/bin/env bash
# check-generated.sh: fail if generated/, wrapper/models.gen.go or the spec
# copy in internal/spec is not what the pinned generators make of
# openapi.yaml today. Each output is made again in a temporary directory
# and compared with the committed one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
configs=(oapi-codegen.yaml oapi-codegen.server.yaml)

# stale FILE FRESH WHY: fail, showing the difference, when FILE is not FRESH.
stale() {
	if ! diff -u "$1" "$2" >"$tmp/diff"; then
		head -40 "$tmp/diff"
		echo "$1 is stale: $3 changed without 'make generate'"
		exit 1
	fi
}

for cfg in "${configs[@]}"; do
	out=$(sed -n 's|^output: *||p' "$cfg")
	mkdir -p "$tmp/$(dirname "$out")"
	sed "s|^output:.*|output: $tmp/$out|" "$cfg" >"$tmp/config.yaml"
	go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config "$tmp/config.yaml" openapi.yaml
	stale "$out" "$tmp/$out" "openapi.yaml or $cfg"
done
want=$(for cfg in "${configs[@]}"; do sed -n 's|^output: *||p' "$cfg"; done | sort)
have=$(find generated -type f | sort)
if [ "$want" != "$have" ]; then
	echo "generated/ holds files the generator does not make:"
	comm -13 <(echo "$want") <(echo "$have")
	exit 1
fi
go run ./internal/modelgen -config modelgen.yaml -spec openapi.yaml -o "$tmp/models.gen.go"
stale wrapper/models.gen.go "$tmp/models.gen.go" "openapi.yaml or modelgen.yaml"
go run ./internal/spec/gen -out "$tmp/openapi_yaml.gen.go"
stale internal/spec/openapi_yaml.gen.go "$tmp/openapi_yaml.gen.go" "openapi.yaml"
echo "generated/, wrapper/models.gen.go and internal/spec are up to date with openapi.yaml"
