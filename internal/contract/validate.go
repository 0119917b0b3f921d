package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/spec"
)

// loadSpec parses the embedded openapi.yaml once: parsing costs far more
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

// Validator checks calls against the spec.
type Validator struct {
	doc         *openapi3.T
	options     *openapi3filter.Options
	headersOnly *openapi3filter.Options // responses: status and headers; CheckResponse does the body
}

// NewValidator returns a validator of the embedded openapi.yaml, which is
// parsed once per process.
func NewValidator() (*Validator, error) {
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
	return &Validator{doc: doc, options: options, headersOnly: &headersOnly}, nil
}

// Doc is the spec the validator checks against, parsed once and shared:
// callers must not change it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Input is the validation input for a call to route, for a CheckResponse
// of an answer whose request was not checked here.
func (v *Validator) Input(req *http.Request, route *routers.Route, params map[string]string) *openapi3filter.RequestValidationInput {
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: v.options}
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

// CheckRequest validates req; its body is read and put back. An error that
// is not a *Error (a body that cannot be read) is a problem with
// the request itself, not a broken contract.
func (v *Validator) CheckRequest(ctx context.Context, req *http.Request) (*openapi3filter.RequestValidationInput, *Error, error) {
	cerr := &Error{Phase: PhaseRequest, Method: req.Method, Path: req.URL.EscapedPath()}
	route, params, err := v.Route(req)
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
		if body, over, err = ReadCapped(req.Body, BodyLimit(http.StatusOK)); err != nil {
			return nil, nil, fmt.Errorf("peopletest: reading the request body: %w", err)
		}
		if over {
			return nil, nil, fmt.Errorf("%w: request body over %d bytes", ErrBodyTooLarge, BodyLimit(http.StatusOK))
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	vreq := req.Clone(ctx)
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: v.options}
	if rule := repeatedParameter(route, req.URL.Query()); rule != "" {
		// The validator reads only the first of repeated values, while a
		// server may read another: "?max_results=5&max_results=500".
		cerr.Rule = rule
		return in, cerr, nil
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		cerr.Rule = describe(err)
		return in, cerr, nil
	}
	return in, nil, nil
}

// repeatedParameter names a single-valued query parameter of the
// operation that the query gives more than once, or "".
func repeatedParameter(route *routers.Route, query url.Values) string {
	for _, ref := range append(append(openapi3.Parameters{}, route.PathItem.Parameters...), route.Operation.Parameters...) {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || len(query[p.Name]) < 2 {
			continue
		}
		if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type.Is("array") {
			continue
		}
		return fmt.Sprintf("parameter %s in query is given %d times; it takes one value", p.Name, len(query[p.Name]))
	}
	return ""
}

// CheckResponse checks an answer to the call in: a violation breaks the
// spec; drift is what the answer says beyond it (an undocumented status, a
// property or an enum value the spec lacks), which clients must accept.
// Drift is checked first and kept out of the schema check, so that a new
// enum value is drift and not also a violation.
func (v *Validator) CheckResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) (*Error, []Drift) {
	op := in.Route.Operation
	violation := func(rule string) *Error {
		return &Error{
			Phase: PhaseResponse, Method: in.Request.Method, Path: in.Request.URL.EscapedPath(),
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
		return violation(fmt.Sprintf("response header Content-Type has unexpected value: %q", apirules.Cut(ct, 100))), nil
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
