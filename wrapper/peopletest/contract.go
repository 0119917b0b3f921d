package peopletest

import "github.com/cldpeople/cloudinary-people-go/internal/contract"

// The contract check every part of the kit shares lives in an internal
// package; these are its names for users.

// ContractError says how a request or a response broke openapi.yaml. It
// matches [ErrContractViolation]. Its fields:
//
//	Phase     Phase  // PhaseRequest or PhaseResponse
//	Method    string
//	Path      string // as sent, escaped
//	Operation string // operationId; "" when no operation matches
//	Status    int    // the answer's status; 0 for a request
//	Rule      string // what was broken
//	Injected  bool   // broken on purpose (a Fault, a ProbeHeader request): fails no test
type ContractError = contract.Error

// ErrContractViolation is matched by every *ContractError.
var ErrContractViolation = contract.ErrViolation

// Phase says which half of a call broke the contract.
type Phase = contract.Phase

// The phases of a call.
const (
	PhaseRequest  = contract.PhaseRequest
	PhaseResponse = contract.PhaseResponse
)

// Drift is an answer saying more than openapi.yaml describes: a property
// it does not declare (at any depth), a value outside a response enum, or
// a status the operation does not document. Clients must accept all three,
// so drift never fails a call; it tells a maintainer that the API has
// moved and openapi.yaml should follow ([DriftOverlay] writes the change).
// String gives it on one line. Its fields:
//
//	Operation string         // operationId
//	Status    int
//	Where     string         // a JSON pointer into the body ("/people/3/x"), or "status"
//	Kind      DriftKind      // DriftProperty, DriftEnum or DriftStatus
//	Value     string         // an example of what came, cut short
//	Schema    map[string]any // for a property: the schema its values suggest
type Drift = contract.Drift

// DriftKind is what a drift finding is about.
type DriftKind = contract.DriftKind

// Kinds of [Drift].
const (
	DriftProperty = contract.DriftProperty // a property the spec does not declare
	DriftEnum     = contract.DriftEnum     // a value outside a response enum
	DriftStatus   = contract.DriftStatus   // a status the operation does not document
)

// Request is a call a [Server] or [Proxy] received, as its log keeps it,
// credentials scrubbed; [Request.Redacted] gives it as the control API
// shows it. Its fields:
//
//	Method        string
//	Path          string      // escaped, as sent
//	Query         url.Values
//	Header        http.Header
//	Body          []byte      // at most 64 KiB of it
//	BodyTruncated bool        // Body holds less than was sent
//	Time          time.Time
//	Seq           int         // 1-based place among all calls received
//	Status        int         // the status answered; 0 while answering, or when none was sent
type Request = contract.Request

// RecordedRequest is a received call as the control API shows it, with
// credentials redacted (see [Request.Redacted]). Its fields, with their
// JSON names: Seq (seq), Time (time), Method (method), Path (path), Query
// (query), Header (header), Body (body, a string), BodyTruncated
// (body_truncated) and Status (status).
type RecordedRequest = contract.RecordedRequest

// Totals counts what a [Server] or [Proxy] saw since it started; unlike
// its lists, a Reset does not clear them. Its fields:
//
//	Calls         int
//	Violations    int // injected ones included
//	Drift         int // distinct findings
//	Injected      int // violations made on purpose (a Fault, a ProbeHeader request)
//	InjectedDrift int // drift findings first seen in an injected answer
type Totals = contract.Totals

// ErrBodyTooLarge is returned by [ValidatingTransport] for a body over the
// wrapper's caps; it matches wrapper.ErrResponseTooLarge too.
var ErrBodyTooLarge = contract.ErrBodyTooLarge

// DriftOverlay turns drift findings into an OpenAPI Overlay 1.0.0 document
// that adds to openapi.yaml what the live API said beyond it: a property
// (with the schema its value suggests), an enum value, a status. Every
// action is additive, so applying it breaks no client; a finding the
// overlay cannot place (a location through a oneOf, a value cut short) is
// left out and named in the overlay's description, for a person to decide.
// `make adopt OVERLAY=FILE` applies the result.
func DriftOverlay(findings []Drift) ([]byte, error) { return contract.Overlay(findings) }
