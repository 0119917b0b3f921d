#!/usr/bin/env bash
# cover.sh: each package's own tests' coverage of its statements, as a
# table, with the packages that are generated code, examples or test
# helpers left out; fails when one is under MIN percent (75 by default).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
min=${MIN:-75}
skip='/(generated|examples|internal/testkit|internal/benchtable|internal/spec/gen)(/|$)'
{
	# The drills of make test-breaking cover tools, not the root package.
	go test -count=1 -cover -skip '^(TestMakeBreaking|TestMakeUpstream|TestTheRegenerationLoopFrom.*)$' ./... 2>&1
	go test -C tools -count=1 -cover ./... 2>&1
} | awk -v min="$min" -v skip="$skip" '
	/^ok/ && /coverage:/ && !/no statements/ && $2 !~ skip {
		for (i = 1; i <= NF; i++) if ($i == "coverage:") pct = $(i + 1)
		sub("%", "", pct); sub("github.com/cldpeople/cloudinary-people-go", ".", $2)
		printf "%-32s %6.1f%%\n", $2, pct
		if (pct + 0 < min) low = low " " $2
	}
	/^FAIL/ { failed = 1; print }
	END {
		if (failed) exit 1
		if (low != "") { print "under " min "%:" low; exit 1 }
	}'
