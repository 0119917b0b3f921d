// Package spec holds openapi.yaml for the contract kit, as a generated
// copy (see internal/spec/gen). The module's root package embeds the same
// file, but importing it would bring tools.go, and with it the code
// generator, into every user's go.mod.
package spec

//go:generate go run ./gen -in ../../openapi.yaml -out openapi_yaml.gen.go
