package wrapper

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retry timing. The base is small because most failures worth retrying
// (a dropped connection, a proxy hiccup) clear at once; rate limits say
// how long to wait themselves.
const (
	retryBaseDelay = 100 * time.Millisecond
	retryMaxDelay  = 5 * time.Second
	// maxServerWait caps Retry-After and X-FeatureRateLimit-Reset, which
	// can be up to an hour away.
	maxServerWait = 30 * time.Second
)

// doer is the generated client's HttpRequestDoer. Everything that happens
// per HTTP attempt lives here, so the escape-hatch Generated() client gets
// auth, retries and logging too.
type doer struct {
	hc *http.Client
	// authorize sets the Authorization header. The credentials live only
	// in this closure: fmt's %+v, go-spew and testify's diffs print a func
	// as an address, so printing a Client, or anything reached from it,
	// cannot show them.
	authorize  func(http.Header)
	userAgent  []string // the header's value, shared by every request
	maxRetries int
	logger     *slog.Logger // nil: no logging
	// waitForRateLimit makes a call wait for the reset instead of failing
	// when the latest answer said the allowance is used up.
	waitForRateLimit bool
	rate             rateState
}

// awaitAllowance refuses, or with waitForRateLimit delays, a call that the
// latest answer says cannot succeed: the hourly allowance is used up and
// resets later. Nothing is sent for a refused call.
func (d *doer) awaitAllowance(ctx context.Context) error {
	until, said, locked := d.rate.lockedUntil(time.Now())
	if !locked {
		return nil
	}
	limit := d.rate.get().Limit
	reset := until.UTC().Format(time.RFC3339)
	if !said.Equal(until) {
		// An hourly allowance resets within the hour; a later time is a
		// server's mistake, and believing it could lock a Client for years.
		reset += fmt.Sprintf(" (the server said %s, more than an hour away, which an hourly allowance cannot be)",
			said.UTC().Format(time.RFC3339))
	}
	wait := time.Until(until)
	if !d.waitForRateLimit {
		return fail(ErrRateLimited, nil, "the hourly allowance of %d calls is used up until %s (in %v); nothing was sent (WithWaitForRateLimit waits instead)",
			limit, reset, wait.Round(time.Second))
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(until) {
		return fail(ErrRateLimited, nil, "the hourly allowance of %d calls is used up until %s, after the context's deadline; nothing was sent", limit, reset)
	}
	if err := sleep(ctx, wait); err != nil {
		return fmt.Errorf("%w (while waiting for the rate limit to reset at %s)", err, reset)
	}
	return nil
}

// authorizer returns the closure that holds the precomputed header value.
// The value slice is shared by every request, which saves an allocation a
// call; nothing in net/http writes to a request's header values.
func authorizer(value string) func(http.Header) {
	values := []string{value}
	return func(h http.Header) { h["Authorization"] = values }
}

// Do sends req, retrying what is safe to retry, and returns the response
// with its body already read, so that the per-attempt timeout
// (http.Client.Timeout) covers the body and the connection goes back to the
// pool at once.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := d.awaitAllowance(ctx); err != nil {
		return nil, err
	}
	d.authorize(req.Header)
	req.Header["User-Agent"] = d.userAgent
	retryable := isIdempotent(req)

	for attempt := 0; ; attempt++ {
		resp, err := d.attempt(ctx, req, attempt)
		if b, ok := bodyOf(resp); ok {
			b.attempts = attempt + 1
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, contextError(ctx, err)
			}
			err = d.classify(err)
			if !retryable || !errors.Is(err, ErrNetwork) || !transient(err) || attempt >= d.maxRetries {
				return nil, afterAttempts(err, attempt+1)
			}
			if werr := sleep(ctx, d.backoff(attempt)); werr != nil {
				return nil, fmt.Errorf("%w (while waiting to retry after: %s)", werr, bare(err))
			}
			continue
		}
		if !retryable || attempt >= d.maxRetries || !retryableStatus(resp.StatusCode) {
			return resp, nil
		}
		if until, _, locked := d.rate.lockedUntil(time.Now()); locked {
			// The answer says the allowance is used up: a retry before the
			// reset would be refused too. Retry after it when that is
			// within the cap and the deadline; else give the caller this
			// answer (WithWaitForRateLimit makes the next call wait).
			wait := time.Until(until)
			if deadline, ok := ctx.Deadline(); wait > maxServerWait || ok && deadline.Before(until) {
				return resp, nil
			}
			if werr := sleep(ctx, wait); werr != nil {
				return nil, fmt.Errorf("%w (while waiting for the rate limit to reset after HTTP %d)", werr, resp.StatusCode)
			}
			continue
		}
		wait := d.backoff(attempt)
		if w, ok := serverWait(resp.StatusCode, resp.Header, time.Now()); ok {
			wait = w
		}
		if wait > maxServerWait {
			// A rate limit further away than the cap cannot lift before
			// the retry: give the caller the answer. Anything else is
			// worth one more try after the cap.
			if isRateLimitStatus(resp.StatusCode) {
				return resp, nil
			}
			wait = maxServerWait
		}
		// Waiting past the deadline would turn a clear answer (429, 503)
		// into a bare DeadlineExceeded: give the caller the answer.
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return resp, nil
		}
		if werr := sleep(ctx, wait); werr != nil {
			return nil, fmt.Errorf("%w (while waiting to retry after HTTP %d)", werr, resp.StatusCode)
		}
	}
}

// bodyOf is resp's fully read body, when the doer read it.
func bodyOf(resp *http.Response) (*body, bool) {
	if resp == nil {
		return nil, false
	}
	b, ok := resp.Body.(*body)
	return b, ok
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

func (d *doer) attempt(ctx context.Context, req *http.Request, attempt int) (*http.Response, error) {
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

	start := time.Now()
	resp, err := d.hc.Do(r)
	if err == nil {
		var data []byte
		data, err = readBody(resp)
		// An error status says what happened even when its body was cut
		// off: keep the part that arrived rather than lose the status.
		if err != nil && resp.StatusCode >= 300 && !errors.Is(err, ErrResponseTooLarge) {
			err = nil
		}
		rl := parseRateLimit(resp.Header)
		d.rate.observe(resp.Header, rl, time.Now())
		if err == nil {
			b := &body{data: data, rateLimit: rl}
			b.Reset(data)
			resp.Body = b
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
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		d.logger.LogAttrs(ctx, slog.LevelDebug, "people API call", attrs...)
	}
	return resp, err
}

// isIdempotent: GET and PUT are, and the API's only POST (inspect) reads
// and changes nothing, so every People call may be retried.
func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost:
		return req.Body == nil || req.GetBody != nil
	}
	return false
}

// transient reports whether a network error is worth another attempt: the
// connection failed or broke, or the attempt timed out. A certificate
// problem would fail the same way again.
func transient(err error) bool { return !isCertificateError(err) }

func retryableStatus(code int) bool {
	switch code {
	case statusEnhanceYourCalm, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is exponential with jitter: somewhere in [d/2, d) for
// d = base·2^attempt, so parallel clients do not retry in lockstep.
func (d *doer) backoff(attempt int) time.Duration {
	delay := min(retryBaseDelay<<min(attempt, 16), retryMaxDelay)
	return delay/2 + rand.N(delay/2)
}

// serverWait is how long the server asked us to wait: Retry-After (seconds
// or an HTTP date) or, once the hourly allowance is used up, until
// X-FeatureRateLimit-Reset. It is not capped: Do decides what a wait
// longer than maxServerWait means.
func serverWait(status int, h http.Header, now time.Time) (time.Duration, bool) {
	var wait time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, ok := retryAfterSeconds(v); ok {
			wait = secs
		} else if t, err := http.ParseTime(v); err == nil {
			wait = t.Sub(now)
		}
	}
	if wait <= 0 && isRateLimitStatus(status) {
		if rl := parseRateLimit(h); usedUp(h) && !rl.Reset.IsZero() {
			wait = rl.Reset.Sub(now)
		}
	}
	if wait <= 0 {
		return 0, false
	}
	return wait, true
}

func isRateLimitStatus(code int) bool {
	return code == statusEnhanceYourCalm || code == http.StatusTooManyRequests
}

// retryAfterSeconds reads delta-seconds, clamping before converting: a
// value too large for time.Duration means "longer than we would wait",
// not "absent" and not whatever the overflow wraps to.
func retryAfterSeconds(v string) (time.Duration, bool) {
	for _, c := range []byte(v) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	secs, err := strconv.ParseUint(v, 10, 64)
	limit := uint64(maxServerWait/time.Second) + 1
	if err != nil || secs > limit {
		// Only digits, so the error is a range error: a huge number.
		secs = limit
	}
	return time.Duration(secs) * time.Second, true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// contextError keeps the caller's cancellation or deadline visible through
// errors.Is, whatever layer noticed it first.
func contextError(ctx context.Context, err error) error {
	if errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w: %w", ctx.Err(), err)
}

func basicAuth(key, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
}

// maxRedirects bounds same-host redirects, as net/http's default does.
const maxRedirects = 10

// sameOrigin refuses redirects that leave the configured host: the API
// never redirects, and a redirect elsewhere must not carry credentials. A
// redirect back to a URL already visited, or too many of them, is
// ErrRedirectLoop.
func sameOrigin(previous func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
			return http.ErrUseLastResponse
		}
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return fail(ErrRedirectLoop, nil, "%s %s redirects back to itself", req.Method, req.URL.EscapedPath())
			}
		}
		if previous != nil {
			return previous(req, via)
		}
		if len(via) >= maxRedirects {
			return fail(ErrRedirectLoop, nil, "stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// newTransport is http.DefaultTransport with room for parallel callers:
// Go keeps only 2 idle connections per host by default, so 64 goroutines
// on one Client would keep opening and closing connections.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}
