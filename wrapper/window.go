package wrapper

import "time"

// window is what an allowance counts of the current hour: the rule
// [LocalAllowance] keeps, private so that its bookkeeping can change. Known is false
// until an answer has said something.
type window struct {
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

// take claims one call from w, the rule every Allowance shares: nothing
// known grants; an hour whose reset has passed starts again from the last
// known Limit; otherwise a call is granted only while more than reserve
// remain, and the grant counts it at once, so parallel callers cannot
// overspend before the server's answer arrives.
func (w *window) take(reserve int, now time.Time) Claim {
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
func (w *window) newHour(ended time.Time) {
	carried := min(w.Straddling, w.Pending)
	w.Remaining, w.Reset, w.Said = max(w.Limit-carried, 0), time.Time{}, time.Time{}
	w.Known, w.Ended = w.Limit > 0, ended
	w.Carried, w.Unsettled, w.Pending, w.Straddling = carried, w.Pending, 0, 0
}

// settle counts an answer against the calls awaiting one: a call of the
// hour that ended, when the answer names that hour, or else one of this
// hour's.
func (w *window) settle(reset time.Time) {
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

// observe corrects w with an answer's allowance. Within one hour the
// server's Remaining only lowers the count: calls granted here but not
// yet counted there must not be granted twice. An answer naming a later
// hour replaces the count; one naming an earlier hour arrived late and
// says nothing of this one, unless it says no call is left with a reset
// already past: the server ended the hour. A reset more than an hour away
// is cut to an hour.
func (w *window) observe(rl RateLimit, usedUp bool, now time.Time) {
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
