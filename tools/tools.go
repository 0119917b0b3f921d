//go:build tools

// Package tools pins the maintainer tools that `make breaking`, `make
// upstream` and `make lint` build into a temporary directory: oasdiff (the
// HTTP contract diff of openapi.yaml), apidiff (the Go API diff) and
// staticcheck (the lint gate); tools/upstream, the
// checker of known deviations from Cloudinary's published schema, lives
// here too. They form a module of their own because they need a newer Go
// than the SDK does: users of the SDK keep its go 1.25 minimum and never
// download them.
package tools

import (
	_ "github.com/oasdiff/oasdiff"
	_ "golang.org/x/exp/cmd/apidiff"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
