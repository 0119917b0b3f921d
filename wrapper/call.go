package wrapper

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// One call's path, start to end, in this file: a Client's operation
// builds its request with the generated request builder and hands it to
// [doer.send], which authorizes it, takes a call from the allowance (see
// allowance.go), sends it, reads and scrubs the answer, records the rate
// limit, and retries what is safe to retry (the timing is in retry.go).
// The answer comes back as an explicit *result; [doer.Do] adapts send to
// the generated client for Client.Generated(), which so gets auth,
// retries and the allowance too.

// doer sends a Client's calls: it holds what every attempt needs.
type doer struct {
	hc *http.Client
	// authorize sets the Authorization header. The credentials live only
	// in this closure: fmt's %+v, go-spew and testify's diffs print a func
	// as an address, so printing a Client, or anything reached from it,
	// cannot show them.
	authorize func(http.Header)
	// scrub replaces the credentials in an error answer's body: a server
	// or proxy that echoes them must not put them into an error string.
	// Like authorize, it holds them only in a closure.
	scrub      *redact.Scrubber
	userAgent  []string // the header's value, shared by every request
	maxRetries int
	logger     *slog.Logger // nil: no logging
	// waitForRateLimit makes a call wait for the reset instead of failing
	// when the latest answer said the allowance is used up.
	waitForRateLimit bool
	rate             rateState
	// allowance is the hourly budget every attempt takes a call from,
	// leaving reserve calls for the account's other users.
	allowance Allowance
	reserve   int
	onWait    func(until time.Time) // nil: nobody is told of waits
	observers observers             // WithObserver's
}

// result is one call's answer as the wrapper reads it, whole: the status
// and headers, the body (read within the caps, an error body scrubbed of
// the caller's credentials), the allowance it reported and how many
// attempts the call took.
type result struct {
	status    int
	header    http.Header
	body      []byte
	rateLimit RateLimit
	attempts  int
}

// Do sends req for the generated client (Client.Generated()) and returns
// the answer as an *http.Response whose body is already read, so that the
// per-attempt timeout covered it and the connection went back to the pool.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	res, err := d.send(req)
	if err != nil {
		return nil, err
	}
	return res.response(req), nil
}

// response is res as an *http.Response to req, its body the bytes read.
func (res *result) response(req *http.Request) *http.Response {
	return &http.Response{
		Status: fmt.Sprintf("%d %s", res.status, http.StatusText(res.status)), StatusCode: res.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: res.header, Body: io.NopCloser(bytes.NewReader(res.body)), ContentLength: int64(len(res.body)),
		Request: req,
	}
}

// send makes one call: it sends req, retrying what is safe to retry, and
// returns its answer read whole.
func (d *doer) send(req *http.Request) (*result, error) {
	ctx := req.Context()
	call := callOptionsFrom(ctx)
	for k, v := range call.header {
		req.Header[k] = v
	}
	d.authorize(req.Header)
	req.Header["User-Agent"] = d.userAgent
	retryable := safeToRetry(req)
	maxRetries := d.maxRetries
	if call.retries != nil {
		maxRetries = *call.retries
	}

	for attempt := 0; ; attempt++ {
		if err := d.claim(ctx); err != nil {
			return nil, err
		}
		res, err := d.attempt(ctx, req, attempt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, contextError(ctx, err)
			}
			err = d.classify(err)
			// A refused certificate would be refused again.
			if !retryable || !errors.Is(err, ErrNetwork) || isCertificateError(err) || attempt >= maxRetries {
				return nil, afterAttempts(err, attempt+1)
			}
			backoff := d.backoff(attempt)
			d.observers.wait(ctx, WaitRetry, backoff)
			if werr := sleep(ctx, backoff); werr != nil {
				return nil, fmt.Errorf("%w (while waiting to retry after: %s)", werr, bare(err))
			}
			continue
		}
		res.attempts = attempt + 1
		if !retryable || attempt >= maxRetries || !apirules.Retryable(res.status) {
			return res, nil
		}
		wait, again := d.retryWait(ctx, res, attempt)
		if !again {
			return res, nil
		}
		d.observers.wait(ctx, WaitRetry, wait)
		if werr := sleep(ctx, wait); werr != nil {
			return nil, fmt.Errorf("%w (while waiting to retry after HTTP %d)", werr, res.status)
		}
	}
}

// attempt sends req once and reads its answer whole.
func (d *doer) attempt(ctx context.Context, req *http.Request, attempt int) (*result, error) {
	r := req
	if attempt > 0 && req.GetBody != nil {
		// The previous attempt consumed the body; send a fresh copy.
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r = req.WithContext(ctx)
		r.Body = b
	}

	actx, end := d.observers.attempt(ctx, r, attempt)
	if actx != ctx {
		r = r.WithContext(actx)
	}
	start := time.Now()
	var res *result
	resp, err := d.hc.Do(r)
	if end != nil {
		defer func() {
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			end(status, err)
		}()
	}
	if err == nil {
		var data []byte
		data, err = readBody(resp)
		// An error status says what happened even when its body was cut
		// off: keep the part that arrived rather than lose the status.
		if err != nil && resp.StatusCode >= 300 && !errors.Is(err, ErrResponseTooLarge) {
			err = nil
		}
		rl := d.observe(ctx, resp.Header)
		if err == nil {
			if resp.StatusCode >= 300 {
				data = d.scrub.Bytes(data)
			}
			res = &result{status: resp.StatusCode, header: resp.Header, body: data, rateLimit: rl}
		}
	}
	if d.logger != nil && d.logger.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.String("method", req.Method),
			slog.String("path", req.URL.EscapedPath()),
			slog.Int("attempt", attempt+1),
			slog.Duration("duration", time.Since(start)),
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		} else {
			attrs = append(attrs, slog.Int("status", res.status))
		}
		d.logger.LogAttrs(ctx, slog.LevelDebug, "people API call", attrs...)
	}
	return res, err
}

// afterAttempts says how many attempts a failed call took, when it took
// more than one.
func afterAttempts(err error, n int) error {
	var f *failure
	if n > 1 && errors.As(err, &f) {
		return &failure{kind: f.kind, text: fmt.Sprintf("%s (after %d attempts)", f.text, n), cause: f.cause}
	}
	return err
}

// classify says what a failed attempt (no usable answer) was. Only failures
// of the network itself are ErrNetwork; an error from a caller's
// RoundTripper, such as a contract check, is passed on as it is, since
// sending the same request again would fail the same way.
func (d *doer) classify(err error) error {
	var f *failure
	switch {
	case errors.As(err, &f) && (f.kind == ErrResponseTooLarge || f.kind == ErrRedirectLoop):
		return f
	case d.hc.Timeout > 0 && isTimeout(err):
		// http.Client.Timeout fired while the caller's context is alive.
		// Its error matches context.DeadlineExceeded, which would tell the
		// caller their own deadline passed; keep the cause as text only.
		return fail(ErrNetwork, nil, "attempt timed out after %v (the per-attempt timeout, WithTimeout): %v", d.hc.Timeout, err)
	case isNetworkError(err):
		return fail(ErrNetwork, err, "%v", err)
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isNetworkError: the connection could not be made, or broke, or TLS or
// DNS failed. *url.Error is a net.Error whatever it wraps, so look inside.
func isNetworkError(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	var rh tls.RecordHeaderError
	var errno syscall.Errno
	return errors.As(err, &ne) || errors.As(err, &rh) || errors.As(err, &errno) || isCertificateError(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// isCertificateError: the server's certificate was refused.
func isCertificateError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// contextError keeps the caller's cancellation or deadline visible through
// errors.Is, whatever layer noticed it first.
func contextError(ctx context.Context, err error) error {
	if errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w: %w", ctx.Err(), err)
}
