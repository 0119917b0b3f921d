#!/usr/bin/env bash
# dist.sh [DIR]: build people and peoplemock for every platform users run
# them on, into DIR (dist/ by default), with a SHA256SUMS file. Plain
# `go build` rather than GoReleaser: five cross-builds of two programs need
# nothing more, and nothing to install. The builds are reproducible: paths
# are trimmed and the build ID is empty, so a second run at the same commit
# gives the same checksums. The commit is stamped in (-buildvcs), for -version.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-dist}
# DIST_PLATFORMS narrows the list (the tests build one).
read -r -a platforms <<<"${DIST_PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64}"
rm -rf "$out"
mkdir -p "$out"
for p in "${platforms[@]}"; do
	goos=${p%/*} goarch=${p#*/}
	ext=""
	[ "$goos" = windows ] && ext=.exe
	for prog in people peoplemock; do
		CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=auto -ldflags='-s -w -buildid=' \
			-o "$out/${prog}_${goos}_${goarch}${ext}" "./cmd/$prog"
	done
done
(cd "$out" && sha256sum -- * >SHA256SUMS)
ls -l "$out" | awk 'NR > 1 {printf "%-32s %6.1f MB\n", $9, $5 / 1048576}'
