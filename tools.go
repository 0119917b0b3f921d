//go:build tools

// This file pins the code generator's version in go.mod, so that
// `go generate` runs exactly the oapi-codegen this module was tested with
// and nobody needs a globally installed binary.

package cloudinarypeople

import _ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
