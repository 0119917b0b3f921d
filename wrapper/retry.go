package wrapper

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
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

// retryWait says how long to wait before sending again after a retryable
// answer, or that the answer stands (again is false): the caller is better
// served by a clear 429 or 503 now than by a retry that cannot succeed or a
// bare DeadlineExceeded later.
func (d *doer) retryWait(ctx context.Context, res *result, attempt int) (wait time.Duration, again bool) {
	deadline, hasDeadline := ctx.Deadline()
	if rl := res.rateLimit; usedUp(res.header) && rl.Reset.After(time.Now()) {
		// The allowance is used up: a retry before the reset would be
		// refused too. Retry after it when that is within the cap and the
		// deadline (WithWaitForRateLimit makes the next call wait longer).
		wait = time.Until(rl.Reset)
		return wait, wait <= maxServerWait && !(hasDeadline && deadline.Before(rl.Reset))
	}
	wait = d.backoff(attempt)
	if w, ok := serverWait(res.status, res.header, time.Now()); ok {
		wait = w
	}
	if wait > maxServerWait {
		// A rate limit further away than the cap cannot lift before the
		// retry. Anything else is worth one more try after the cap.
		if apirules.RateLimited(res.status) {
			return 0, false
		}
		wait = maxServerWait
	}
	return wait, !(hasDeadline && time.Until(deadline) < wait)
}

// safeToRetry: an idempotent method (GET, PUT, …) may be sent again, and
// so may POST, since the API's only POST (inspect) is marked x-read-only
// in openapi.yaml: internal/specsync fails when an operation that is
// neither appears. A body that cannot be read again (no GetBody) cannot
// be sent again.
func safeToRetry(req *http.Request) bool {
	if !apirules.Idempotent(req.Method) && req.Method != http.MethodPost {
		return false
	}
	return req.Body == nil || req.GetBody != nil
}

// backoff is exponential with jitter: somewhere in [d/2, d) for
// d = base·2^attempt, so parallel clients do not retry in lockstep.
func (d *doer) backoff(attempt int) time.Duration {
	delay := min(retryBaseDelay<<min(attempt, 16), retryMaxDelay)
	return delay/2 + rand.N(delay/2)
}

// serverWait is how long the server asked us to wait: Retry-After (seconds
// or an HTTP date) or, once the hourly allowance is used up, until
// X-FeatureRateLimit-Reset. It is not capped: retryWait decides what a wait
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
	if wait <= 0 && apirules.RateLimited(status) {
		if rl := parseRateLimit(h); usedUp(h) && !rl.Reset.IsZero() {
			wait = rl.Reset.Sub(now)
		}
	}
	if wait <= 0 {
		return 0, false
	}
	return wait, true
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
