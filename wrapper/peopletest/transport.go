package peopletest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// TransportOption configures [ValidatingTransport].
type TransportOption interface{ applyTransport(*validatingTransport) }

// ValidatingTransport returns a RoundTripper that checks every request and
// response against the embedded openapi.yaml. A request that breaks the
// spec is not sent; a response that breaks it is discarded. Either way the
// error is a *ContractError naming the rule. What an answer says beyond the
// spec is [Drift], reported to [OnDrift] and never an error. Use it in
// tests against the fake server and against the live API alike:
//
//	hc := &http.Client{Transport: peopletest.ValidatingTransport(nil)}
//	client, err := wrapper.New(wrapper.WithHTTPClient(hc))
//
// A nil base means http.DefaultTransport. Bodies over the wrapper's caps
// are [ErrBodyTooLarge].
func ValidatingTransport(base http.RoundTripper, opts ...TransportOption) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	v, err := contract.NewValidator()
	t := &validatingTransport{base: base, v: v, err: err}
	for _, o := range opts {
		if o != nil {
			o.applyTransport(t)
		}
	}
	return t
}

type validatingTransport struct {
	base      http.RoundTripper
	v         *contract.Validator
	err       error
	onDrift   func(Drift)
	onViolate func(*ContractError)
	mu        sync.Mutex
	seen      contract.FindingSet // drift reported, each finding once per transport as the fake and the proxy do
}

func (t *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.err != nil {
		return nil, t.err
	}
	ctx := req.Context()
	// RoundTrippers must not change the caller's request.
	sent := req.Clone(ctx)
	in, cerr, err := t.v.CheckRequest(ctx, sent)
	if cerr != nil || err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		if err != nil {
			return nil, err
		}
		t.violation(cerr)
		return nil, cerr
	}
	resp, err := t.base.RoundTrip(sent)
	if err != nil {
		return nil, err
	}
	body, over, err := contract.ReadCapped(resp.Body, contract.BodyLimit(resp.StatusCode))
	resp.Body.Close()
	switch {
	case err != nil:
		return nil, fmt.Errorf("peopletest: reading the HTTP %d response body: %w", resp.StatusCode, err)
	case over:
		return nil, fmt.Errorf("%w: HTTP %d answer over %d bytes", ErrBodyTooLarge, resp.StatusCode, contract.BodyLimit(resp.StatusCode))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	// The check reads a scrubbed copy: an answer that echoes the
	// credentials must not carry a piece of them into a finding cut short.
	scrub := redact.New(redact.FromAuthorization(sent.Header.Get("Authorization"))...)
	cerr, drift := t.v.CheckResponse(ctx, in, resp.StatusCode, resp.Header, scrub.Bytes(body))
	for _, d := range drift {
		if t.onDrift != nil && t.fresh(d) {
			t.onDrift(d)
		}
	}
	if cerr != nil {
		t.violation(cerr)
		return nil, cerr
	}
	return resp, nil
}

func (t *validatingTransport) violation(e *ContractError) {
	if t.onViolate != nil {
		t.onViolate(e)
	}
}

// fresh reports whether d was not reported before.
func (t *validatingTransport) fresh(d Drift) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seen.AddDrift(d)
}
