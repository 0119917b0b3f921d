package wrapper

import (
	"bytes"
	"context"
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
	"syscall"
	"time"
)

// Limits on what is read from a response. A page of 100 people is about
// 60 KB; anything near these sizes is not a People API answer.
const (
	maxBodyBytes      = 8 << 20
	maxErrorBodyBytes = 64 << 10
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
	hc            *http.Client
	authorization string // precomputed header value
	userAgent     string
	maxRetries    int
	logger        *slog.Logger // nil: no logging
}

// body is a fully read response body. The wrapper takes the bytes without
// copying them; other readers see an ordinary io.ReadCloser.
type body struct {
	bytes.Reader
	data []byte
}

func (*body) Close() error { return nil }

func bodyBytes(resp *http.Response) ([]byte, error) {
	if b, ok := resp.Body.(*body); ok {
		return b.data, nil
	}
	return readBody(resp)
}

// Do sends req, retrying what is safe to retry, and returns the response
// with its body already read, so that the per-attempt timeout
// (http.Client.Timeout) covers the body and the connection goes back to the
// pool at once.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	req.Header.Set("Authorization", d.authorization)
	req.Header.Set("User-Agent", d.userAgent)
	retryable := isIdempotent(req)

	for attempt := 0; ; attempt++ {
		resp, err := d.attempt(ctx, req, attempt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, contextError(ctx, err)
			}
			if errors.Is(err, ErrResponseTooLarge) {
				return nil, err
			}
			final := !transient(err)
			err = fmt.Errorf("%w: %w", ErrNetwork, err)
			if !retryable || final || attempt >= d.maxRetries {
				return nil, err
			}
			if werr := sleep(ctx, d.backoff(attempt)); werr != nil {
				return nil, fmt.Errorf("%w (while waiting to retry after: %w)", werr, err)
			}
			continue
		}
		if !retryable || attempt >= d.maxRetries || !retryableStatus(resp.StatusCode) {
			return resp, nil
		}
		wait := d.backoff(attempt)
		if w, ok := serverWait(resp.StatusCode, resp.Header, time.Now()); ok {
			wait = w
		}
		// Waiting past the deadline would turn a clear answer (429, 503)
		// into a bare DeadlineExceeded; give the caller the answer instead.
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return resp, nil
		}
		if werr := sleep(ctx, wait); werr != nil {
			return nil, fmt.Errorf("%w (while waiting to retry after HTTP %d)", werr, resp.StatusCode)
		}
	}
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
		if err == nil {
			b := &body{data: data}
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

// readBody reads and closes the body, within the size limits. Error bodies
// are cut short rather than refused: the status already says what matters.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	limit := int64(maxBodyBytes)
	if resp.StatusCode >= 300 {
		limit = maxErrorBodyBytes
	}
	buf := bytes.NewBuffer(make([]byte, 0, initialBufferSize(resp.ContentLength, limit)))
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		if resp.StatusCode < 300 {
			return nil, fmt.Errorf("%w (more than %d bytes)", ErrResponseTooLarge, limit)
		}
		return buf.Bytes()[:limit], nil
	}
	return buf.Bytes(), nil
}

func initialBufferSize(contentLength, limit int64) int64 {
	switch {
	case contentLength < 0:
		return 4096
	case contentLength > limit:
		return limit + 1
	}
	// One byte more than announced, so ReadFrom sees EOF without growing.
	return contentLength + 1
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

// transient reports whether a transport error is worth another attempt: the
// connection failed or broke, or the attempt timed out. Other errors, such
// as a certificate problem or a contract check in the caller's
// RoundTripper, would fail the same way again.
func transient(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // *url.Error is a net.Error itself, whatever it wraps
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

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
// X-FeatureRateLimit-Reset. Capped at maxServerWait.
func serverWait(status int, h http.Header, now time.Time) (time.Duration, bool) {
	var wait time.Duration
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			wait = t.Sub(now)
		}
	}
	if wait <= 0 && (status == statusEnhanceYourCalm || status == http.StatusTooManyRequests) {
		if rl := parseRateLimit(h); rl.Remaining == 0 && !rl.Reset.IsZero() && h.Get("X-FeatureRateLimit-Remaining") != "" {
			wait = rl.Reset.Sub(now)
		}
	}
	if wait <= 0 {
		return 0, false
	}
	return min(wait, maxServerWait), true
}

func parseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	rl.Limit, _ = strconv.Atoi(h.Get("X-FeatureRateLimit-Limit"))
	rl.Remaining, _ = strconv.Atoi(h.Get("X-FeatureRateLimit-Remaining"))
	if v := h.Get("X-FeatureRateLimit-Reset"); v != "" {
		rl.Reset, _ = http.ParseTime(v)
	}
	return rl
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

// sameOrigin refuses redirects that leave the configured host: the API
// never redirects, and a redirect elsewhere must not carry credentials.
func sameOrigin(previous func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
			return http.ErrUseLastResponse
		}
		if previous != nil {
			return previous(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
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
