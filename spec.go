package cloudinarypeople

import _ "embed"

// OpenAPIYAML is openapi.yaml exactly as written. The contract checks in
// wrapper/peopletest validate against it rather than against the copy the
// generator embeds, which it normalises (operation IDs, for one).
//
//go:embed openapi.yaml
var OpenAPIYAML []byte
