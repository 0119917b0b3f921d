// Package contract checks People API traffic against the embedded
// openapi.yaml, for every part of the contract kit alike: the fake server,
// the validating transport, the proxy and the conformance runner.
//
// A [Validator] routes a call to its operation and checks the request and
// the answer; what an answer says beyond the spec (a property, an enum
// value, a status it does not document) is [Drift], which clients must
// accept, rather than an [Error], which breaks the contract. A [Log] keeps
// what a fake or a proxy saw, bounded and with every credential scrubbed,
// and [Overlay] turns drift into an OpenAPI Overlay that adds it to the
// spec. Package peopletest names these types for users; this package is
// internal so that their parts can change without breaking anyone.
package contract
