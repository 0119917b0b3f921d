package peopletest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// Proxy forwards each call to an upstream People API (the live one, or
// another fake) and each answer back, unchanged, checking both against
// openapi.yaml on the way. A client in any language pointed at it gets its
// live traffic contract-checked. Credentials pass through and are never
// recorded or logged.
//
// Every client request is forwarded at most once: a dropped upstream
// connection reaches the client as a 502 that names it, never as a silent
// retry. Without [AllowWrites] only the spec's read operations (its GETs
// and the read-only inspect POST) are forwarded; anything else, a method
// override included, is refused with a 403 in the API's error shape. With
// [RejectInvalid], a request that breaks the contract is answered 400 and
// not forwarded. An answer whose request or response broke the contract
// carries a Peoplemock-Violation header per broken rule.
type Proxy struct {
	upstream      *url.URL
	v             *contract.Validator
	rp            *httputil.ReverseProxy
	allowWrites   bool
	rejectInvalid bool
	onViolate     func(*ContractError)
	onDrift       func(Drift)
	log           contract.Log
	control       http.Handler
}

// ProxyOption configures [NewProxy].
type ProxyOption interface{ applyProxy(*Proxy) }

type proxyOption func(*Proxy)

func (f proxyOption) applyProxy(p *Proxy) { f(p) }

// AllowWrites lets every request through to the upstream, writes (PUT)
// included.
func AllowWrites() ProxyOption { return proxyOption(func(p *Proxy) { p.allowWrites = true }) }

// RejectInvalid answers a request that breaks the contract with a 400 in
// the API's error shape naming the rule, instead of forwarding it: a
// client under test does not spend the live hourly allowance on calls that
// cannot succeed.
func RejectInvalid() ProxyOption { return proxyOption(func(p *Proxy) { p.rejectInvalid = true }) }

// proxyCall is what the proxy knows of a call between the request and the
// answer.
type proxyCall struct {
	in         *openapi3filter.RequestValidationInput
	gen        uint64
	seq        int
	scrub      *redact.Scrubber // the caller's credentials, by value
	violations []string         // header values, request ones first
}

type proxyCallKey struct{}

// NewProxy returns a Proxy to upstream, such as https://api.cloudinary.com.
// The upstream follows wrapper.New's rule for a base URL, since every call
// carries the caller's credentials to it: https, or plain http on a
// loopback host only; and it is an origin, without a path: each call
// brings its own /v1_1/... path.
func NewProxy(upstream string, opts ...ProxyOption) (*Proxy, error) {
	u, err := cldurl.BaseURL(upstream)
	if err != nil {
		return nil, fmt.Errorf("peopletest: proxy upstream: %w", err)
	}
	if strings.TrimSuffix(u.EscapedPath(), "/") != "" {
		return nil, fmt.Errorf("peopletest: proxy upstream %s://%s has the path %q; give the origin only (%s://%s): each call brings its own /v1_1/... path",
			u.Scheme, u.Host, apirules.Cut(u.EscapedPath(), 80), u.Scheme, u.Host)
	}
	u.Path, u.RawPath = "", ""
	v, err := contract.NewValidator()
	if err != nil {
		return nil, err
	}
	p := &Proxy{upstream: u, v: v}
	for _, o := range opts {
		if o != nil {
			o.applyProxy(p)
		}
	}
	p.rp = &httputil.ReverseProxy{
		// Rewrite, unlike Director, adds no X-Forwarded-* headers: the
		// request goes on as the client sent it, to the upstream's host.
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			if pr.Out.Body == nil && replayable(pr.Out.Method) {
				// net/http's transport sends a GET again when a reused
				// connection breaks, unless it has a body without
				// GetBody. An empty one still goes out without a body.
				pr.Out.Body = noBody{}
			}
		},
		ModifyResponse: p.checkResponse,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			writeAPIError(w, http.StatusBadGateway, "peoplemock proxy: upstream "+u.Host+" did not answer: "+err.Error(), nil)
		},
	}
	mux := http.NewServeMux()
	serveLog(mux, &p.log)
	mux.HandleFunc(controlPrefix, func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusNotFound, map[string]string{
			"error": "in proxy mode the control API has GET requests, GET violations, GET drift and GET drift/overlay only",
		})
	})
	p.control = mux
	return p, nil
}

// replayable: the methods net/http's transport may send twice.
func replayable(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// noBody is an empty body that, unlike http.NoBody, makes a request
// non-replayable for net/http's transport.
type noBody struct{}

func (noBody) Read([]byte) (int, error) { return 0, io.EOF }
func (noBody) Close() error             { return nil }

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		p.control.ServeHTTP(w, r)
		return
	}
	body, over, err := contract.ReadCapped(r.Body, contract.BodyLimit(http.StatusOK))
	r.Body.Close()
	// The proxy knows the credentials each call carries: whatever the
	// upstream echoes of them is scrubbed from what it records and reports.
	scrub := redact.New(redact.FromAuthorization(r.Header.Get("Authorization"))...)
	seq, gen := p.log.Begin(r, body, over, scrub)
	if err != nil || over {
		p.log.Answered(gen, seq, http.StatusRequestEntityTooLarge)
		writeAPIError(w, http.StatusRequestEntityTooLarge, "peoplemock proxy: request body unreadable or over 8 MiB", nil)
		return
	}
	r.Body = readCloser{bytes.NewReader(body)}
	call := &proxyCall{gen: gen, seq: seq, scrub: scrub}
	in, cerr, _ := p.v.CheckRequest(r.Context(), r)
	call.in = in
	if cerr != nil {
		call.violations = append(call.violations, violationHeaderValue(cerr))
		p.violation(gen, cerr)
	}
	refuse := func(status int, msg string, header ...string) {
		w.Header()[ViolationHeader] = call.violations
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		p.log.Answered(gen, seq, status)
		writeAPIError(w, status, "peoplemock proxy: "+msg, nil)
	}
	if in == nil {
		// No operation has this path: nothing to forward, whatever the
		// flags. Answered as the fake answers it.
		if allowed := p.v.Allowed(r); len(allowed) > 0 {
			refuse(http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on this path; it answers %s", apirules.Cut(apirules.Printable(r.Method), 20), strings.Join(allowed, ", ")),
				"Allow", strings.Join(allowed, ", "))
			return
		}
		refuse(http.StatusNotFound, fmt.Sprintf("%s %s is no People API operation; People paths look like %s", apirules.Cut(apirules.Printable(r.Method), 20),
			apirules.Cut(apirules.Printable(r.URL.EscapedPath()), 200), p.v.Operations()))
		return
	}
	if !p.allowWrites {
		if why := p.refuseOverride(r); why != "" {
			refuse(http.StatusForbidden, why+"; start the proxy with -allow-writes to forward it")
			return
		}
		if !contract.ReadOnly(in.Route.Method, in.Route.Operation) {
			reads := p.readMethods(r)
			refuse(http.StatusMethodNotAllowed, fmt.Sprintf("%s (%s) changes data, and this proxy forwards reads only (%s here); start it with -allow-writes to forward writes",
				in.Route.Operation.OperationID, r.Method, strings.Join(reads, ", ")), "Allow", strings.Join(reads, ", "))
			return
		}
	}
	if p.rejectInvalid && cerr != nil {
		if r.Header.Get("Authorization") == "" && strings.HasPrefix(cerr.Rule, "security") {
			// What the API answers a call without credentials.
			refuse(http.StatusUnauthorized, "no credentials, so the request was not forwarded: "+cerr.Rule)
			return
		}
		refuse(http.StatusBadRequest, "the request breaks openapi.yaml, so it was not forwarded: "+cerr.Rule)
		return
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), proxyCallKey{}, call)))
}

// refuseOverride says why r may not reach the upstream without
// AllowWrites although it names a read: a method override could turn it
// into a write. "" when it carries none.
func (p *Proxy) refuseOverride(r *http.Request) string {
	for _, h := range []string{"X-Http-Method-Override", "X-Http-Method", "X-Method-Override"} {
		if _, ok := r.Header[h]; ok {
			return "a method override (" + h + ") could turn this call into a write"
		}
	}
	if _, ok := r.URL.Query()["_method"]; ok {
		return "a method override (_method) could turn this call into a write"
	}
	return ""
}

// readMethods lists the methods of r's path that only read.
func (p *Proxy) readMethods(r *http.Request) []string {
	var out []string
	for _, m := range p.v.Allowed(r) {
		probe := r.Clone(r.Context())
		probe.Method = m
		if route, _, err := p.v.Route(probe); err == nil && contract.ReadOnly(m, route.Operation) {
			out = append(out, m)
		}
	}
	return out
}

// checkResponse validates an upstream answer and hands it on unchanged,
// but for the Peoplemock-Violation headers.
func (p *Proxy) checkResponse(resp *http.Response) error {
	call, _ := resp.Request.Context().Value(proxyCallKey{}).(*proxyCall)
	if call == nil {
		return nil
	}
	p.log.Answered(call.gen, call.seq, resp.StatusCode)
	defer func() {
		// Once each: an upstream that is itself a fake names the request's
		// violations already.
		for _, v := range call.violations {
			addOnce(resp.Header, ViolationHeader, v)
		}
	}()
	limit := contract.BodyLimit(resp.StatusCode)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return err
	}
	// Pass on whatever was not read, after what was.
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(raw), resp.Body), resp.Body}
	in := call.in
	if in == nil {
		return nil
	}
	violation := func(rule string) *ContractError {
		return &ContractError{Phase: PhaseResponse, Method: in.Request.Method, Path: in.Request.URL.EscapedPath(),
			Operation: in.Route.Operation.OperationID, Status: resp.StatusCode, Rule: rule}
	}
	if int64(len(raw)) > limit {
		p.answerViolation(call, violation(fmt.Sprintf("body over %d bytes, more than any People API answer", limit)))
		return nil
	}
	body := raw
	if enc := resp.Header.Get("Content-Encoding"); strings.EqualFold(enc, "gzip") || strings.EqualFold(enc, "x-gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		var over bool
		if err == nil {
			body, over, err = contract.ReadCapped(zr, limit)
		}
		if err != nil || over {
			p.answerViolation(call, violation("gzip body that does not inflate to a People API answer"))
			return nil
		}
	}
	header := resp.Header.Clone()
	header.Del("Content-Encoding")
	// Checked scrubbed, so that every finding is made of scrubbed text
	// before anything cuts it; the client still gets the answer as it came.
	cerr, drift := p.v.CheckResponse(resp.Request.Context(), in, resp.StatusCode, header, call.scrub.Bytes(body))
	if cerr != nil {
		p.answerViolation(call, cerr)
	}
	for i := range drift {
		drift[i].Where, drift[i].Value = call.scrub.String(drift[i].Where), call.scrub.String(drift[i].Value)
		addOnce(resp.Header, DriftHeader, driftHeaderValue(drift[i]))
	}
	for _, d := range p.log.ObserveDrift(call.gen, drift, false) {
		if p.onDrift != nil {
			p.onDrift(d)
		}
	}
	return nil
}

func (p *Proxy) answerViolation(call *proxyCall, e *ContractError) {
	e.Rule, e.Path = call.scrub.String(e.Rule), call.scrub.String(e.Path)
	call.violations = append(call.violations, violationHeaderValue(e))
	p.violation(call.gen, e)
}

func (p *Proxy) violation(gen uint64, err *ContractError) {
	p.log.Violation(gen, err)
	if p.onViolate != nil {
		p.onViolate(err)
		return
	}
	fmt.Fprintln(os.Stderr, err)
}

// Requests returns the calls received, oldest first, within the same
// bounds as [Server.Requests], credentials redacted.
func (p *Proxy) Requests() []Request { return p.log.Requests() }

// Violations returns the contract violations seen so far (the first
// 1,000), as text.
func (p *Proxy) Violations() []string { return p.log.Violations() }

// ContractErrors returns the violations seen so far (the first 1,000).
func (p *Proxy) ContractErrors() []ContractError { return p.log.Errors() }

// Drift returns the distinct drift findings seen so far (the first 1,000).
func (p *Proxy) Drift() []Drift { return p.log.Drift() }

// RequestCount is the number of calls received, refused ones included.
func (p *Proxy) RequestCount() int { return p.log.Calls() }

// Totals counts the calls, violations and drift findings since the proxy
// started.
func (p *Proxy) Totals() Totals { return p.log.AllTotals() }
