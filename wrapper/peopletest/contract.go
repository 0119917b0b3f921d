package peopletest

import "github.com/cldpeople/cloudinary-people-go/internal/contract"

// The contract check every part of the kit shares lives in an internal
// package; these are its names for users.

// ContractError says how a request or a response broke openapi.yaml: its
// Phase, the call (Method, escaped Path, Operation, Status) and the Rule
// broken. Injected marks a break made on purpose (an answer a test asked
// for with a Fault, or a request marked with [ProbeHeader]), for which no
// test is failed. It matches [ErrContractViolation].
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
// A finding names the Operation and Status, Where it was (a JSON pointer
// into the body, or "status"), its Kind, a Value cut short, and for a
// property the Schema its value suggests. String gives it on one line.
type Drift = contract.Drift

// DriftKind is what a drift finding is about.
type DriftKind = contract.DriftKind

// Kinds of [Drift].
const (
	DriftProperty = contract.DriftProperty // a property the spec does not declare
	DriftEnum     = contract.DriftEnum     // a value outside a response enum
	DriftStatus   = contract.DriftStatus   // a status the operation does not document
)

// Request is a call a [Server] or [Proxy] received, as its log keeps it:
// Method, escaped Path, Query, Header, Body (at most 64 KiB, and
// BodyTruncated when less than was sent), Time, Seq (its place among all
// calls) and the Status it was answered with (0 while answering, or when
// no answer was sent). Credentials are scrubbed; [Request.Redacted] gives
// it as the control API shows it.
type Request = contract.Request

// RecordedRequest is a received call as the control API shows it, with
// credentials redacted (see [Request.Redacted]).
type RecordedRequest = contract.RecordedRequest

// Totals counts what a [Server] or [Proxy] saw since it started: Calls,
// Violations and distinct Drift findings, and of those the Injected ones
// and InjectedDrift (made on purpose by a Fault or a [ProbeHeader]
// request). Unlike its lists, a Reset does not clear them.
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
