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

// rateState is the latest rate-limit allowance any call on a Client saw,
// for Client.RateLimit.
type rateState struct {
	mu     sync.Mutex
	latest RateLimit
}

func (r *rateState) get() RateLimit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.latest
}

// observe records an answer's allowance. An answer without rate-limit
// headers (a proxy's error page) says nothing and changes nothing.
func (r *rateState) observe(rl RateLimit) {
	if !rl.Known() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latest = rl
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

// claim takes one call from the allowance before an attempt. A refused
// call sends nothing: it fails with an *AllowanceError, or with
// waitForRateLimit waits for the time the allowance names (when the
// context's deadline allows) and asks again. Once the hourly limit is
// known, a reserve that keeps all of it fails at once with [ErrConfig].
func (d *doer) claim(ctx context.Context) error {
	for {
		c, err := d.allowance.Take(ctx, d.reserve, time.Now())
		if err != nil {
			if ctx.Err() != nil {
				return contextError(ctx, err)
			}
			return fail(ErrNetwork, err, "the allowance could not be asked for a call: %v; nothing was sent", err)
		}
		if c.Limit > 0 && d.reserve >= c.Limit {
			// Waiting would never end: every hour is all reserve.
			return fail(ErrConfig, nil, "WithReserve(%d) leaves no call of the hourly limit of %d; nothing was sent", d.reserve, c.Limit)
		}
		if c.Granted {
			return nil
		}
		e := &AllowanceError{Limit: c.Limit, Remaining: c.Remaining, Reserve: d.reserve, Until: c.Until, Said: c.Said}
		if !d.waitForRateLimit {
			return e
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(c.Until) {
			e.AfterDeadline = true
			return e
		}
		if d.onWait != nil {
			d.onWait(c.Until)
		}
		d.observers.wait(ctx, WaitAllowance, time.Until(c.Until))
		if err := sleep(ctx, time.Until(c.Until)); err != nil {
			return fmt.Errorf("%w (while waiting for the rate limit to reset at %s)", err, c.Until.UTC().Format(time.RFC3339))
		}
	}
}

// observe tells the allowance what an answer said of it. An allowance
// that cannot be told (Redis is down) is corrected by a later answer.
func (d *doer) observe(ctx context.Context, h http.Header) RateLimit {
	rl := parseRateLimit(h)
	d.rate.observe(rl)
	if rl.Known() {
		d.observers.rateLimit(ctx, rl)
		_ = d.allowance.Observe(ctx, rl, usedUp(h), time.Now())
	}
	return rl
}
