package peopletest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/cldpeople/cloudinary-people-go/internal/spec"
)

// ErrContractViolation is matched by every *ContractError.
var ErrContractViolation = errors.New("peopletest: contract violation")

// ContractError says how a request or a response broke openapi.yaml.
type ContractError struct {
	Phase     string `json:"phase"` // "request" or "response"
	Method    string `json:"method"`
	Path      string `json:"path"`                // as sent, escaped
	Operation string `json:"operation,omitempty"` // operationId, "" when no operation matches
	Status    int    `json:"status,omitempty"`    // response status; 0 for requests
	Rule      string `json:"rule"`                // what was broken, from the validator
	// Injected marks an answer a test asked for with a Fault: the fake
	// broke the contract on purpose, so the test is not failed for it.
	Injected bool `json:"injected,omitempty"`
}

func (e *ContractError) Error() string {
	op := e.Operation
	if op == "" {
		op = "no operation"
	}
	if e.Phase == "response" {
		return fmt.Sprintf("peopletest: contract violation: %s %s (%s): HTTP %d response: %s", e.Method, e.Path, op, e.Status, e.Rule)
	}
	return fmt.Sprintf("peopletest: contract violation: %s %s (%s): request: %s", e.Method, e.Path, op, e.Rule)
}

func (e *ContractError) Is(target error) bool { return target == ErrContractViolation }

// spec is the embedded openapi.yaml, parsed once: parsing costs far more
// than validating a call.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec.OpenAPIYAML)
	if err == nil {
		err = doc.Validate(loader.Context)
	}
	if err != nil {
		return nil, fmt.Errorf("peopletest: loading the embedded openapi.yaml: %w", err)
	}
	return doc, nil
})

func init() {
	// Proxies answer 502/503/504 with HTML; the spec declares it as a string.
	openapi3filter.RegisterBodyDecoder("text/html", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
}

// validator checks calls against the spec.
type validator struct {
	doc         *openapi3.T
	options     *openapi3filter.Options
	headersOnly *openapi3filter.Options // responses: status and headers; checkResponse does the body
}

func newValidator() (*validator, error) {
	doc, err := loadSpec()
	if err != nil {
		return nil, err
	}
	options := &openapi3filter.Options{
		// The validator must see the request as sent: filling in defaults
		// would add query parameters the client never sent.
		SkipSettingDefaults: true,
		MultiError:          true,
		AuthenticationFunc:  checkAuthScheme,
	}
	headersOnly := *options
	headersOnly.ExcludeResponseBody = true
	return &validator{doc: doc, options: options, headersOnly: &headersOnly}, nil
}

// checkAuthScheme checks the form of the credentials the spec allows, not
// their value: the fake server and the live API judge that themselves.
func checkAuthScheme(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	want := in.SecurityScheme.Scheme
	if scheme, _, ok := strings.Cut(h, " "); !ok || !strings.EqualFold(scheme, want) {
		return fmt.Errorf("no %s Authorization header", want)
	}
	return nil
}

// route finds the operation for req. It matches on the escaped path, so an
// ID holding an escaped '/' stays one segment, and ignores the host, so the
// same check works on a loopback test server and on any API region.
func (v *validator) route(req *http.Request) (*routers.Route, map[string]string, error) {
	segs := strings.Split(strings.TrimPrefix(req.URL.EscapedPath(), "/"), "/")
	var best *routers.Route
	var bestParams map[string]string
	bestLiterals := -1
	pathMatched := false
	for path, item := range v.doc.Paths.Map() {
		tmpl := strings.Split(strings.TrimPrefix(path, "/"), "/")
		if len(tmpl) != len(segs) {
			continue
		}
		params, literals, ok := matchSegments(tmpl, segs)
		if !ok {
			continue
		}
		pathMatched = true
		op := item.GetOperation(req.Method)
		if op == nil || literals <= bestLiterals {
			continue
		}
		best = &routers.Route{Spec: v.doc, Path: path, PathItem: item, Method: req.Method, Operation: op}
		bestParams, bestLiterals = params, literals
	}
	switch {
	case best != nil:
		return best, bestParams, nil
	case pathMatched:
		return nil, nil, fmt.Errorf("method %s is not allowed on this path", req.Method)
	default:
		return nil, nil, errors.New("path matches no operation in openapi.yaml")
	}
}

// queryDefault is the default the spec gives a query parameter of an
// operation, as an integer; 0 when it gives none.
func (v *validator) queryDefault(operationID, param string) int {
	for _, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != operationID {
				continue
			}
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Name == param &&
					p.Value.Schema != nil && p.Value.Schema.Value != nil {
					if n, ok := p.Value.Schema.Value.Default.(float64); ok {
						return int(n)
					}
				}
			}
		}
	}
	return 0
}

// pathOf is the path template of an operation ("" when the spec has none).
func (v *validator) pathOf(operationID string) string {
	for path, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				return path
			}
		}
	}
	return ""
}

// operations lists the spec's operations as "GET /path", for messages.
func (v *validator) operations() string {
	var out []string
	for path, item := range v.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// readOnly: the operation changes nothing, so the proxy forwards it without
// AllowWrites. GETs read; another method is read-only only when the spec
// says so with x-read-only (inspect, a POST that only asks).
func readOnly(method string, op *openapi3.Operation) bool {
	if method == http.MethodGet || method == http.MethodHead {
		return true
	}
	ro, _ := op.Extensions["x-read-only"].(bool)
	return ro
}

func matchSegments(tmpl, segs []string) (map[string]string, int, bool) {
	params := map[string]string{}
	literals := 0
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			val, err := url.PathUnescape(segs[i])
			if err != nil || val == "" {
				return nil, 0, false
			}
			params[t[1:len(t)-1]] = val
			continue
		}
		if t != segs[i] {
			return nil, 0, false
		}
		literals++
	}
	return params, literals, true
}

// checkRequest validates req; its body is read and put back. An error that
// is not a *ContractError (a body that cannot be read) is a problem with
// the request itself, not a broken contract.
func (v *validator) checkRequest(ctx context.Context, req *http.Request) (*openapi3filter.RequestValidationInput, *ContractError, error) {
	cerr := &ContractError{Phase: "request", Method: req.Method, Path: req.URL.EscapedPath()}
	route, params, err := v.route(req)
	if err != nil {
		cerr.Rule = err.Error()
		return nil, cerr, nil
	}
	cerr.Operation = route.Operation.OperationID
	// The validator reads the body; give it a copy and keep the original
	// intact for whoever sends or handles the request next.
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var over bool
		if body, over, err = readCapped(req.Body, bodyLimit(http.StatusOK)); err != nil {
			return nil, nil, fmt.Errorf("peopletest: reading the request body: %w", err)
		}
		if over {
			return nil, nil, fmt.Errorf("%w: request body over %d bytes", ErrBodyTooLarge, bodyLimit(http.StatusOK))
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	vreq := req.Clone(ctx)
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: v.options}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		cerr.Rule = describe(err)
		return in, cerr, nil
	}
	return in, nil, nil
}

// checkResponse checks an answer to the call in: a violation breaks the
// spec; drift is what the answer says beyond it (an undocumented status, a
// property or an enum value the spec lacks), which clients must accept.
// Drift is checked first and kept out of the schema check, so that a new
// enum value is drift and not also a violation.
func (v *validator) checkResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) (*ContractError, []Drift) {
	op := in.Route.Operation
	violation := func(rule string) *ContractError {
		return &ContractError{
			Phase: "response", Method: in.Request.Method, Path: in.Request.URL.EscapedPath(),
			Operation: op.OperationID, Status: status, Rule: rule,
		}
	}
	resp := op.Responses.Status(status)
	if resp == nil {
		resp = op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		return nil, []Drift{{Operation: op.OperationID, Status: status, Where: "status", Kind: DriftStatus, Value: strconv.Itoa(status)}}
	}
	// Status and headers through kin-openapi; the body below, so that
	// drift can be found and set aside in the same decoded value.
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: v.headersOnly}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return violation(describe(err)), nil
	}
	content := resp.Value.Content
	if len(content) == 0 {
		return nil, nil
	}
	ct := header.Get("Content-Type")
	mt := content.Get(ct)
	if mt == nil {
		return violation(fmt.Sprintf("response header Content-Type has unexpected value: %q", cut(ct, 100))), nil
	}
	if mt.Schema == nil || mt.Schema.Value == nil {
		return nil, nil
	}
	var value any
	if isJSON(ct) {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&value); err != nil {
			return violation("failed to decode response body: " + firstLine(err, "")), nil
		}
	} else {
		value = string(body)
	}
	drift := findDrift(op.OperationID, status, mt.Schema.Value, &value)
	if err := mt.Schema.Value.VisitJSON(value, openapi3.MultiErrors(), openapi3.VisitAsResponse()); err != nil {
		return violation("response body doesn't match schema: " + describe(err)), drift
	}
	return nil, drift
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

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
