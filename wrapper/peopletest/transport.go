package peopletest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// TransportOption configures [ValidatingTransport].
type TransportOption func(*validatingTransport)

// OnDrift calls fn for each drift finding in an answer (see [Drift]): each
// operation, location and kind once per answer. Drift never fails a call.
func OnDrift(fn func(Drift)) TransportOption {
	return func(t *validatingTransport) { t.onDrift = fn }
}

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
	v, err := newValidator()
	t := &validatingTransport{base: base, v: v, err: err}
	for _, o := range opts {
		if o != nil {
			o(t)
		}
	}
	return t
}

type validatingTransport struct {
	base    http.RoundTripper
	v       *validator
	err     error
	onDrift func(Drift)
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
	body, over, err := readCapped(resp.Body, bodyLimit(resp.StatusCode))
	resp.Body.Close()
	switch {
	case err != nil:
		return nil, fmt.Errorf("peopletest: reading the HTTP %d response body: %w", resp.StatusCode, err)
	case over:
		return nil, fmt.Errorf("%w: HTTP %d answer over %d bytes", ErrBodyTooLarge, resp.StatusCode, bodyLimit(resp.StatusCode))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	cerr, drift := t.v.checkResponse(ctx, in, resp.StatusCode, resp.Header, body)
	if t.onDrift != nil {
		for _, d := range drift {
			t.onDrift(d)
		}
	}
	if cerr != nil {
		return nil, cerr
	}
	return resp, nil
}
