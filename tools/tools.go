//go:build tools

// Package tools pins the maintainer tools that `make breaking` runs with
// `go run`: oasdiff (the HTTP contract diff of openapi.yaml) and apidiff
// (the Go API diff). They live in a module of their own because they need a
// newer Go than the SDK does: users of the SDK keep its go 1.25 minimum and
// never download them.
package tools

import (
	_ "github.com/oasdiff/oasdiff"
	_ "golang.org/x/exp/cmd/apidiff"
)
