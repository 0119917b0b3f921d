package contract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// ErrViolation is matched by every *Error.
var ErrViolation = errors.New("peopletest: contract violation")

// ProbeHeader marks a request that breaks the contract on purpose: what
// it breaks, and what its answer breaks, is recorded as injected.
const ProbeHeader = "Peoplemock-Probe"

// Phase says which half of a call broke the contract.
type Phase string

// The phases of a call.
const (
	PhaseRequest  Phase = "request"
	PhaseResponse Phase = "response"
)

// Error says how a request or a response broke openapi.yaml.
type Error struct {
	Phase     Phase  `json:"phase"` // PhaseRequest or PhaseResponse
	Method    string `json:"method"`
	Path      string `json:"path"`                // as sent, escaped
	Operation string `json:"operation,omitempty"` // operationId, "" when no operation matches
	Status    int    `json:"status,omitempty"`    // response status; 0 for requests
	Rule      string `json:"rule"`                // what was broken, from the validator
	// Injected marks a break made on purpose: an answer a test asked for
	// with a Fault, or a request marked with ProbeHeader. The test is not
	// failed for it.
	Injected bool `json:"injected,omitempty"`
}

func (e *Error) Error() string {
	op := e.Operation
	if op == "" {
		op = "no operation"
	}
	if e.Phase == PhaseResponse {
		return fmt.Sprintf("peopletest: contract violation: %s %s (%s): HTTP %d response: %s", e.Method, e.Path, op, e.Status, e.Rule)
	}
	return fmt.Sprintf("peopletest: contract violation: %s %s (%s): request: %s", e.Method, e.Path, op, e.Rule)
}

// Is makes errors.Is(err, ErrViolation) true.
func (e *Error) Is(target error) bool { return target == ErrViolation }

// describe flattens the validator's nested errors into one line per rule,
// without the schema dumps that make them hard to read.
func describe(err error) string {
	// Look at err itself before searching its chain: a RequestError wraps
	// a MultiError, and its parameter name must not be lost.
	if me, ok := err.(openapi3.MultiError); ok {
		parts := make([]string, 0, len(me))
		for _, e := range me {
			parts = append(parts, describe(e))
		}
		return strings.Join(parts, "; ")
	}
	if re, ok := err.(*openapi3filter.RequestError); ok {
		prefix := ""
		switch {
		case re.Parameter != nil:
			prefix = fmt.Sprintf("parameter %s in %s: ", re.Parameter.Name, re.Parameter.In)
		case re.RequestBody != nil:
			prefix = "body: "
		}
		return prefix + firstLine(re.Err, re.Reason)
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		return describe(me)
	}
	var rv *openapi3filter.ResponseError
	if errors.As(err, &rv) {
		return firstLine(rv.Err, rv.Reason)
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			return fmt.Sprintf("at /%s: %s", strings.Join(ptr, "/"), se.Reason)
		}
		return se.Reason
	}
	var sr *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sr) {
		msgs := make([]string, 0, len(sr.Errors))
		for _, e := range sr.Errors {
			msgs = append(msgs, e.Error())
		}
		return "security: " + strings.Join(msgs, ", or ")
	}
	return strings.SplitN(err.Error(), "\n", 2)[0]
}

func firstLine(err error, reason string) string {
	msg := reason
	if err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += describe(err)
	}
	return strings.SplitN(msg, "\n", 2)[0]
}
