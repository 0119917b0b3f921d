package peopletest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	cloudinarypeople "github.com/cldpeople/cloudinary-people-go"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
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
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(cloudinarypeople.OpenAPIYAML)
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
	doc     *openapi3.T
	options *openapi3filter.Options
}

func newValidator() (*validator, error) {
	doc, err := spec()
	if err != nil {
		return nil, err
	}
	return &validator{doc: doc, options: &openapi3filter.Options{
		// The validator must see the request as sent: filling in defaults
		// would add query parameters the client never sent.
		SkipSettingDefaults:   true,
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    checkAuthScheme,
	}}, nil
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

// The wrapper's limits on what it reads of an answer: a 2xx body larger than
// maxBodyBytes, or an error body larger than maxErrorBodyBytes, is no
// People API answer, and buffering it whole could exhaust memory (a small
// gzip body can inflate to gigabytes).
const (
	maxBodyBytes      = 8 << 20
	maxErrorBodyBytes = 64 << 10
)

// ErrBodyTooLarge is returned by ValidatingTransport for a body over the
// caps; it matches wrapper.ErrResponseTooLarge too.
var ErrBodyTooLarge = fmt.Errorf("peopletest: body too large to validate: %w", wrapper.ErrResponseTooLarge)

// bodyLimit is the cap for an answer with this status.
func bodyLimit(status int) int64 {
	if status >= 300 {
		return maxErrorBodyBytes
	}
	return maxBodyBytes
}

// readCapped reads and closes resp's body, refusing more than the caps.
func readCapped(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	limit := bodyLimit(resp.StatusCode)
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("peopletest: reading the HTTP %d response body: %w", resp.StatusCode, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: HTTP %d answer over %d bytes", ErrBodyTooLarge, resp.StatusCode, limit)
	}
	return body, nil
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
		if body, err = io.ReadAll(io.LimitReader(req.Body, maxBodyBytes+1)); err != nil {
			return nil, nil, fmt.Errorf("peopletest: reading the request body: %w", err)
		}
		if len(body) > maxBodyBytes {
			return nil, nil, fmt.Errorf("%w: request body over %d bytes", ErrBodyTooLarge, maxBodyBytes)
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

func (v *validator) checkResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) *ContractError {
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: v.options}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return &ContractError{
			Phase: "response", Method: in.Request.Method, Path: in.Request.URL.EscapedPath(),
			Operation: in.Route.Operation.OperationID, Status: status, Rule: describe(err),
		}
	}
	return nil
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

// ValidatingTransport returns a RoundTripper that checks every request and
// response against the embedded openapi.yaml. A request that breaks the
// spec is not sent; a response that breaks it is discarded. Either way the
// error is a *ContractError naming the rule. Use it in tests against the
// fake server and against the live API alike:
//
//	hc := &http.Client{Transport: peopletest.ValidatingTransport(nil)}
//	client, err := wrapper.New(wrapper.WithHTTPClient(hc))
//
// A nil base means http.DefaultTransport.
func ValidatingTransport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	v, err := newValidator()
	return &validatingTransport{base: base, v: v, err: err}
}

type validatingTransport struct {
	base http.RoundTripper
	v    *validator
	err  error
}

func (t *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.err != nil {
		return nil, t.err
	}
	ctx := req.Context()
	// RoundTrippers must not change the caller's request.
	sent := req.Clone(ctx)
	in, cerr, err := t.v.checkRequest(ctx, sent)
	if cerr != nil || err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		if err != nil {
			return nil, err
		}
		return nil, cerr
	}
	resp, err := t.base.RoundTrip(sent)
	if err != nil {
		return nil, err
	}
	body, err := readCapped(resp)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if cerr := t.v.checkResponse(ctx, in, resp.StatusCode, resp.Header, body); cerr != nil {
		return nil, cerr
	}
	return resp, nil
}
