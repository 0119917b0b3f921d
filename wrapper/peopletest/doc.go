// Package peopletest is a contract-testing kit for the People Search API, in
// the spirit of net/http/httptest.
//
// [NewServer] starts an in-process fake People API with real semantics
// (keyset cursor pagination, filters and sort orders, updates with the API's
// validation messages, permission inspection, 401, 404 and, with
// [Server.SetRateLimit], 420 answers) built on the server interface
// generated from openapi.yaml
// ([github.com/cldpeople/cloudinary-people-go/generated/server]). Every
// request it receives and every response it sends is checked against that
// same document. A violation breaks openapi.yaml and fails the test; [Drift]
// is an answer saying more than openapi.yaml describes (a property it does
// not declare, an enum value it lacks, a status it does not document) and
// never fails anything. Faults ([Fault]) can be injected for the next calls,
// and a request may ask for a documented status with `Prefer: code=NNN`.
//
// [ValidatingTransport] runs the same check inside any http.Client, so a
// test suite, or a run against a real account, proves that the traffic
// matches openapi.yaml; [Proxy] does it for clients in any language, and
// [Conformance] runs cases derived from the spec against any
// implementation. The program cmd/peoplemock serves the fake and the proxy
// outside Go.
//
// The kit reads at most what the wrapper reads of an answer
// ([wrapper.MaxBodyBytes] for a 2xx body, [wrapper.MaxErrorBodyBytes] for an
// error), so a hostile answer cannot exhaust a test's memory.
package peopletest
