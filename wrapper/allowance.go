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
// By default each Client believes the latest answer it saw, as it always
// has: no count of its own. Clients that share an account share one
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
	w  Window
}

// Window is what an allowance knows of the current hour. Known is false
// until an answer has said something.
type Window struct {
	Known     bool
	Limit     int
	Remaining int
	// Reset ends the hour; zero when the hour it counts is a new one whose
	// end no answer has named yet.
	Reset time.Time
	// Said is the reset the server named, when it was cut to an hour.
	Said time.Time
	// Pending counts the calls granted that no answer has settled yet,
	// and Straddling those granted just before Reset. A call of both may
	// reach the server after the hour ended and count in the next one,
	// so the next hour starts as many calls short as there are calls of
	// both, at most: a call answered before the hour ended cannot.
	Pending, Straddling int
	// Carried is how many calls the current hour was started short by,
	// and Unsettled how many calls of the hour that ended had no answer
	// when it ended: each of their answers, which name that hour, leaves
	// fewer that may count in this one, and gives a carried call back.
	Carried, Unsettled int
	// Ended is when the last hour counted ended: an answer of that hour
	// or an older one that arrives late says nothing of this one.
	Ended time.Time
	// Blind counts the calls granted before anything was known: the
	// first answer counts one of them, and the others may reach the
	// server after it, so they are taken off what it says is left.
	Blind int
}

// straddleMargin is how close to an hour's end a granted call may land
// in the next hour instead: a call's time on the wire, with room to spare.
const straddleMargin = 500 * time.Millisecond

// Take implements [Allowance].
func (a *LocalAllowance) Take(_ context.Context, reserve int, now time.Time) (Claim, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.w.Take(reserve, now), nil
}

// Observe implements [Allowance].
func (a *LocalAllowance) Observe(_ context.Context, rl RateLimit, usedUp bool, now time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.w.Observe(rl, usedUp, now)
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

// Take claims one call from w, the rule every Allowance shares: nothing
// known grants; an hour whose reset has passed starts again from the last
// known Limit; otherwise a call is granted only while more than reserve
// remain, and the grant counts it at once, so parallel callers cannot
// overspend before the server's answer arrives.
func (w *Window) Take(reserve int, now time.Time) Claim {
	if w.Known && !w.Reset.IsZero() && !now.Before(w.Reset) {
		w.newHour(w.Reset)
	}
	if !w.Known {
		w.Blind++
		w.Pending++
		return Claim{Granted: true}
	}
	if w.Reset.IsZero() && !now.Before(w.Ended.Add(maxResetHorizon)) {
		// An hour whose end no answer named is over by now, however long
		// the server's hours are: start the next one afresh.
		w.newHour(w.Ended.Add(maxResetHorizon))
	}
	if w.Remaining <= reserve {
		until := w.Reset
		if until.IsZero() {
			// A new hour that calls carried over from the last one used
			// up, and whose end no answer has named: those calls' answers
			// will say more; failing that, no hour outlasts this one.
			until = w.Ended.Add(maxResetHorizon)
		}
		return Claim{Until: until, Limit: w.Limit, Remaining: w.Remaining, Said: w.Said}
	}
	w.Remaining--
	w.Pending++
	if !w.Reset.IsZero() && w.Reset.Sub(now) < straddleMargin {
		w.Straddling++
	}
	return Claim{Granted: true, Limit: w.Limit, Remaining: w.Remaining}
}

// newHour starts counting an hour whose end is not known yet from the last
// known Limit, the previous one having ended at ended; without a Limit,
// nothing is known.
func (w *Window) newHour(ended time.Time) {
	carried := min(w.Straddling, w.Pending)
	w.Remaining, w.Reset, w.Said = max(w.Limit-carried, 0), time.Time{}, time.Time{}
	w.Known, w.Ended = w.Limit > 0, ended
	w.Carried, w.Unsettled, w.Pending, w.Straddling = carried, w.Pending, 0, 0
}

// settle counts an answer against the calls awaiting one: a call of the
// hour that ended, when the answer names that hour, or else one of this
// hour's.
func (w *Window) settle(reset time.Time) {
	if w.Unsettled > 0 && sameSecond(reset, w.Ended) {
		w.Unsettled--
		if w.Carried > w.Unsettled {
			w.Remaining = min(w.Remaining+w.Carried-w.Unsettled, w.Limit)
			w.Carried = w.Unsettled
		}
		return
	}
	w.Pending = max(w.Pending-1, 0)
}

// Observe corrects w with an answer's allowance. Within one hour the
// server's Remaining only lowers the count: calls granted here but not
// yet counted there must not be granted twice. An answer naming a later
// hour replaces the count; one naming an earlier hour arrived late and
// says nothing of this one, unless it says no call is left with a reset
// already past: the server ended the hour. A reset more than an hour away
// is cut to an hour.
func (w *Window) Observe(rl RateLimit, usedUp bool, now time.Time) {
	if rl.Limit > 0 {
		w.Limit = rl.Limit
	}
	w.settle(rl.Reset)
	if rl.Remaining <= 0 && !usedUp {
		// Remaining absent or unreadable: nothing to count from.
		return
	}
	reset, said := believedReset(rl.Reset, now)
	switch {
	case !reset.After(now):
		// The server ended the hour (Remaining 0, reset now), unless this
		// is an answer of an hour already ended, arriving late: the count
		// of the hour since must not start over. A reset equal to the last
		// end (dates have whole seconds) ends the hour only when its count
		// is mostly spent: a late answer comes while a new one has barely
		// begun.
		if usedUp && (reset.After(w.Ended) || reset.Equal(w.Ended) && w.Remaining < w.Limit/2) {
			w.newHour(reset)
		}
	case !w.Known || w.Reset.IsZero():
		if w.Known {
			rl.Remaining = min(rl.Remaining, w.Remaining)
		} else {
			rl.Remaining = max(rl.Remaining-max(w.Blind-1, 0), 0)
			w.Blind = 0
		}
		w.Known, w.Remaining, w.Reset, w.Said, w.Carried = true, rl.Remaining, reset, said, 0
	case reset.After(w.Reset):
		w.Remaining, w.Reset, w.Said, w.Straddling = rl.Remaining, reset, said, 0
	case reset.Equal(w.Reset):
		w.Remaining = min(w.Remaining, rl.Remaining)
	}
}

// sameSecond: resets travel as HTTP dates, in whole seconds.
func sameSecond(a, b time.Time) bool {
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}
