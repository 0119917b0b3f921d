package cloudinarypeople

import _ "embed"

// OpenAPIYAML is openapi.yaml exactly as written, embedded once for the
// contract checks in wrapper/peopletest. The generator's own embedded copy
// is turned off: it normalises the document (operation IDs, for one) and
// would link kin-openapi into every program that imports wrapper.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte
