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
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/redact"
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
}

// authorizer returns the closure that holds the precomputed header value.
// The value slice is shared by every request, which saves an allocation a
// call; nothing in net/http writes to a request's header values.
func authorizer(value string) func(http.Header) {
	values := []string{value}
	return func(h http.Header) { h["Authorization"] = values }
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
		rl := d.observe(ctx, resp.Header)
		if err == nil {
			if resp.StatusCode >= 300 {
				data = d.scrub.Bytes(data)
			}
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
