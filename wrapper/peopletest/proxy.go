package peopletest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Proxy forwards every call unchanged to an upstream People API (the live
// one, or another fake) and every answer back, checking both against
// openapi.yaml on the way. A client in any language pointed at it gets its
// live traffic contract-checked. Credentials pass through and are never
// recorded or logged. Writes (PUT) are refused with a 403 in the API's
// error shape unless [AllowWrites] is given.
type Proxy struct {
	upstream    *url.URL
	v           *validator
	rp          *httputil.ReverseProxy
	allowWrites bool
	onViolate   func(*ContractError)

	mu         sync.Mutex
	requests   []Request
	violations []ContractError
	count      atomic.Int64
}

// ProxyOption configures NewProxy.
type ProxyOption func(*Proxy)

// AllowWrites lets PUT through to the upstream.
func AllowWrites() ProxyOption { return func(p *Proxy) { p.allowWrites = true } }

// OnProxyViolation calls fn for each contract violation the proxy sees;
// without it they are printed to stderr.
func OnProxyViolation(fn func(*ContractError)) ProxyOption {
	return func(p *Proxy) { p.onViolate = fn }
}

type proxyInputKey struct{}

// NewProxy returns a Proxy to upstream, such as https://api.cloudinary.com.
func NewProxy(upstream string, opts ...ProxyOption) (*Proxy, error) {
	u, err := url.Parse(upstream)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("peopletest: proxy upstream %q: want an http(s) URL such as https://api.cloudinary.com", upstream)
	}
	v, err := newValidator()
	if err != nil {
		return nil, err
	}
	p := &Proxy{upstream: u, v: v}
	for _, o := range opts {
		o(p)
	}
	p.rp = &httputil.ReverseProxy{
		// Rewrite, unlike Director, adds no X-Forwarded-* headers: the
		// request goes on as the client sent it, to the upstream's host.
		Rewrite:        func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		ModifyResponse: p.checkResponse,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			writeAPIError(w, http.StatusBadGateway, "peoplemock proxy: upstream "+u.Host+" did not answer: "+err.Error())
		},
	}
	return p, nil
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		p.control(w, r)
		return
	}
	n := int(p.count.Add(1))
	body, ok := readRequestBody(r)
	if !ok {
		writeAPIError(w, http.StatusRequestEntityTooLarge, "peoplemock proxy: request body unreadable or over 8 MiB")
		return
	}
	p.mu.Lock()
	p.requests = record(p.requests, r, body, n)
	p.mu.Unlock()

	in, cerr, _ := p.v.checkRequest(r.Context(), r)
	if cerr != nil {
		p.violation(cerr)
	}
	if r.Method == http.MethodPut && !p.allowWrites {
		writeAPIError(w, http.StatusForbidden, "peoplemock proxy: PUT is refused so that the upstream's data cannot change; start the proxy with -allow-writes to send writes")
		return
	}
	if in != nil {
		r = r.WithContext(context.WithValue(r.Context(), proxyInputKey{}, in))
	}
	p.rp.ServeHTTP(w, r)
}

// checkResponse validates an upstream answer and hands it on unchanged.
func (p *Proxy) checkResponse(resp *http.Response) error {
	in, _ := resp.Request.Context().Value(proxyInputKey{}).(*openapi3filter.RequestValidationInput)
	limit := bodyLimit(resp.StatusCode)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return err
	}
	// Pass on whatever was not read, after what was.
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(raw), resp.Body), resp.Body}
	if in == nil {
		return nil
	}
	op := in.Route.Operation.OperationID
	if int64(len(raw)) > limit {
		p.violation(&ContractError{Phase: "response", Method: in.Request.Method, Path: in.Request.URL.EscapedPath(),
			Operation: op, Status: resp.StatusCode, Rule: fmt.Sprintf("body over %d bytes, more than any People API answer", limit)})
		return nil
	}
	body := raw
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(zr, limit+1))
		}
		if err != nil || int64(len(body)) > limit {
			p.violation(&ContractError{Phase: "response", Method: in.Request.Method, Path: in.Request.URL.EscapedPath(),
				Operation: op, Status: resp.StatusCode, Rule: "gzip body that does not inflate to a People API answer"})
			return nil
		}
	}
	header := resp.Header.Clone()
	header.Del("Content-Encoding")
	if cerr := p.v.checkResponse(resp.Request.Context(), in, resp.StatusCode, header, body); cerr != nil {
		p.violation(cerr)
	}
	return nil
}

func (p *Proxy) violation(err *ContractError) {
	p.mu.Lock()
	p.violations = append(p.violations, *err)
	p.mu.Unlock()
	if p.onViolate != nil {
		p.onViolate(err)
		return
	}
	fmt.Fprintln(os.Stderr, err)
}

// ContractErrors returns the violations seen so far.
func (p *Proxy) ContractErrors() []ContractError {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ContractError{}, p.violations...)
}

// RequestCount is the number of calls received, refused writes included.
func (p *Proxy) RequestCount() int { return int(p.count.Load()) }

// control serves the read-only part of the control API: faults and reset
// make no sense for someone else's server.
func (p *Proxy) control(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == controlPrefix+"requests":
		p.mu.Lock()
		out := make([]RecordedRequest, len(p.requests))
		for i, req := range p.requests {
			out[i] = req.Redacted()
		}
		p.mu.Unlock()
		writeControl(w, http.StatusOK, out)
	case r.Method == http.MethodGet && r.URL.Path == controlPrefix+"violations":
		writeControl(w, http.StatusOK, p.ContractErrors())
	default:
		writeControl(w, http.StatusNotFound, map[string]string{
			"error": "in proxy mode the control API has GET requests and GET violations only",
		})
	}
}

// writeAPIError answers in the People API's error shape.
func writeAPIError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(apiError(msg))
}
