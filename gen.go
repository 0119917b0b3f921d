// Package cloudinarypeople is the root of the Cloudinary People Search SDK.
// It holds no code users import: the API is described by openapi.yaml, Go code
// is generated from it into package generated (wire types and client) and
// generated/server (the strict-server interface the fake API implements), and
// package wrapper is the ergonomic client most programs want.
//
// The models of package wrapper (Person, Thumbnail, the enums) are generated
// too, by internal/modelgen as modelgen.yaml maps the schemas, into
// wrapper/models.gen.go.
//
// Regenerate after editing openapi.yaml or the oapi-codegen*.yaml settings
// with `go generate ./...` (or `make generate`). The generator runs through
// `go run`, at the version pinned in go.mod by tools.go.
package cloudinarypeople

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.server.yaml openapi.yaml
//go:generate go run ./internal/modelgen -config modelgen.yaml -spec openapi.yaml
