package wrapper

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Allowance is the account's hourly budget of Admin API calls, as this
// process sees it. Every attempt a Client sends (retries included) first
// takes one call from it, and every answer's X-FeatureRateLimit-* headers
// correct it: the server's Remaining is the truth, and its Reset names the
// end of the fixed hour the count belongs to.
//
// By default each Client believes the latest answer it saw and keeps no
// count of its own. Clients that share an account share one
// Allowance with [WithAllowance], which counts the calls it grants so that
// together they never overspend: a [LocalAllowance] within one process,
// package redisallowance's across processes and machines.
//
// Implementations must be safe for concurrent use, must never grant more
// calls in one hour than Limit less reserve, and must not leave calls
// stuck when a process that took some dies: a claimed call is spent, and
// the next answer (or the next hour) sets the count right.
type Allowance interface {
	// Take claims one call of the current hour, leaving reserve calls
	// for the account's other users. A refusal is not an error: it is a
	// Claim with Granted false and the time to try again.
	Take(ctx context.Context, reserve int, now time.Time) (Claim, error)
	// Observe records the allowance an answer reported; usedUp says the
	// answer said, in so many words, that no call is left (Remaining: 0),
	// which a RateLimit's zero value cannot tell from an absent header.
	Observe(ctx context.Context, rl RateLimit, usedUp bool, now time.Time) error
}

// Claim is the outcome of [Allowance.Take].
type Claim struct {
	Granted bool
	// Until is, when the call was refused, the earliest time another Take
	// may be granted: the hour's reset, or soon when the allowance is
	// still learning what the hour holds.
	Until time.Time
	// Limit and Remaining are the allowance as the Allowance knew it (zero
	// when nothing is known yet), for messages.
	Limit, Remaining int
	// Said is the reset the server named, when it was more than an hour
	// away and Until was cut to an hour.
	Said time.Time
}

// AllowanceError is the error of a call that sent nothing because the
// hourly allowance, less the reserve, was used up. It matches
// [ErrRateLimited].
type AllowanceError struct {
	Limit     int       // the hourly allowance, 0 when unknown
	Remaining int       // calls the allowance holds
	Reserve   int       // calls kept for others (WithReserve)
	Until     time.Time // when a call may be sent again
	// Said is the reset the server named when it was more than an hour
	// away, which an hourly allowance cannot be; Until is then an hour.
	Said time.Time
	// AfterDeadline: the caller asked to wait, but the context's deadline
	// comes before Until.
	AfterDeadline bool
}

func (e *AllowanceError) Error() string {
	reset := e.Until.UTC().Format(time.RFC3339)
	if !e.Said.IsZero() {
		reset += fmt.Sprintf(" (the server said %s, more than an hour away, which an hourly allowance cannot be)",
			e.Said.UTC().Format(time.RFC3339))
	}
	var b strings.Builder
	b.WriteString("people: rate limited: ")
	if e.Reserve > 0 && e.Remaining > 0 {
		fmt.Fprintf(&b, "%d of the hourly allowance of %d calls are left and WithReserve(%d) keeps them for the account's other users", e.Remaining, e.Limit, e.Reserve)
	} else {
		fmt.Fprintf(&b, "the hourly allowance of %d calls is used up", e.Limit)
		if e.Reserve > 0 {
			fmt.Fprintf(&b, " (WithReserve(%d) keeps the last calls for others)", e.Reserve)
		}
	}
	fmt.Fprintf(&b, " until %s", reset)
	if e.AfterDeadline {
		b.WriteString(", after the context's deadline; nothing was sent")
	} else {
		fmt.Fprintf(&b, " (in %v); nothing was sent (WithWaitForRateLimit waits instead)", time.Until(e.Until).Round(time.Second))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *AllowanceError) Is(target error) bool { return target == ErrRateLimited }

// WithReserve leaves calls of the hourly allowance to the account's other
// users (production code, say, while a long job runs): once the latest
// answer says Remaining is at or below calls, a call sends nothing and
// fails with an [*AllowanceError], or waits for the reset under
// [WithWaitForRateLimit]. A reserve at or above the hourly limit leaves
// nothing to wait for: once an answer has named the limit, calls fail at
// once with [ErrConfig].
func WithReserve(calls int) Option {
	return func(o *options) error {
		if calls < 0 {
			return configError("WithReserve: negative count %d", calls)
		}
		o.reserve = calls
		return nil
	}
}

// WithAllowance makes the Client take its calls from a, shared with other
// Clients (in this process or, through an implementation such as
// package redisallowance, in others), instead of an allowance of its own.
func WithAllowance(a Allowance) Option {
	return func(o *options) error {
		if a == nil {
			return configError("WithAllowance: nil Allowance")
		}
		o.allowance = a
		return nil
	}
}

// maxResetHorizon is the furthest a reset can be believed: the allowance
// is hourly. A later X-FeatureRateLimit-Reset (a clock gone wrong, a
// hostile proxy) is cut to this, so that one answer cannot stop a Client
// from ever sending again.
const maxResetHorizon = time.Hour

// believedReset is reset cut to maxResetHorizon from now, and the reset
// the server said when it was cut (zero otherwise).
func believedReset(reset, now time.Time) (believed, said time.Time) {
	if horizon := now.Add(maxResetHorizon); reset.After(horizon) {
		return horizon, reset
	}
	return reset, time.Time{}
}

// LocalAllowance is an [Allowance] kept in memory that counts the calls it
// grants, for Clients of one process that share an account's allowance
// (pass the same one to each with [WithAllowance]). The zero value is
// ready to use and knows nothing: it grants calls until an answer says
// what the hour holds.
type LocalAllowance struct {
	mu sync.Mutex
	w  window
}

// Take implements [Allowance].
func (a *LocalAllowance) Take(_ context.Context, reserve int, now time.Time) (Claim, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.w.take(reserve, now), nil
}

// Observe implements [Allowance].
func (a *LocalAllowance) Observe(_ context.Context, rl RateLimit, usedUp bool, now time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.w.observe(rl, usedUp, now)
	return nil
}

// latestAnswer is a Client's own allowance when WithAllowance gives none:
// it counts nothing itself and believes the latest answer, so that a
// server whose count restarts within one reset (a test double, a proxy)
// never locks a Client by mistake. A call is refused while that answer
// said, in so many words, that no more than the reserve is left and its
// reset is still ahead (cut to an hour).
type latestAnswer struct {
	mu     sync.Mutex
	rl     RateLimit
	said   bool      // Remaining was a number the server gave
	until  time.Time // the reset, cut to an hour
	cutOff time.Time // the reset the server named, when it was cut
}

func (a *latestAnswer) Take(_ context.Context, reserve int, now time.Time) (Claim, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.said || a.rl.Remaining > reserve || !a.until.After(now) {
		return Claim{Granted: true, Limit: a.rl.Limit, Remaining: a.rl.Remaining}, nil
	}
	return Claim{Until: a.until, Limit: a.rl.Limit, Remaining: a.rl.Remaining, Said: a.cutOff}, nil
}

func (a *latestAnswer) Observe(_ context.Context, rl RateLimit, usedUp bool, now time.Time) error {
	if !rl.Known() {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rl, a.said = rl, usedUp || rl.Remaining > 0
	a.until, a.cutOff = believedReset(rl.Reset, now)
	return nil
}
