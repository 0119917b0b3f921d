package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxResetHorizon is the furthest a reset can be believed: the allowance
// is hourly. A later X-FeatureRateLimit-Reset (a clock gone wrong, a
// hostile proxy) is cut to this, so that one answer cannot stop a Client
// from ever sending again.
const maxResetHorizon = time.Hour

// rateState is the latest rate-limit allowance any call saw, and whether
// calls must wait for its reset.
type rateState struct {
	mu     sync.Mutex
	latest RateLimit
	// until is when the used-up allowance resets, as far as it is
	// believed; said is what the server sent. Both are zero while calls
	// may go on.
	until, said time.Time
}

func (r *rateState) get() RateLimit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.latest
}

// observe records an answer's allowance. An answer without rate-limit
// headers (a proxy's error page) says nothing and changes nothing; any
// other answer replaces what was known, so a real answer always lifts a
// lock that an earlier one set.
func (r *rateState) observe(h http.Header, rl RateLimit, now time.Time) {
	if !rl.Known() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latest = rl
	r.until, r.said = time.Time{}, time.Time{}
	if usedUp(h) && rl.Reset.After(now) {
		r.said = rl.Reset
		r.until = rl.Reset
		if horizon := now.Add(maxResetHorizon); r.until.After(horizon) {
			r.until = horizon
		}
	}
}

// lockedUntil reports whether calls must wait, until when, and the reset
// the server said.
func (r *rateState) lockedUntil(now time.Time) (until, said time.Time, locked bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.until.IsZero() || !r.until.After(now) {
		return time.Time{}, time.Time{}, false
	}
	return r.until, r.said, true
}

// usedUp: the answer says, in so many words, that no call is left. A
// Remaining that is absent, blank or not a whole number ("abc", "12.0",
// "-5") says nothing of the kind.
func usedUp(h http.Header) bool {
	v, ok := h["X-Featureratelimit-Remaining"]
	if !ok || len(v) == 0 {
		return false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v[0]))
	return err == nil && n == 0
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
