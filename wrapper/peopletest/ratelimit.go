package peopletest

import (
	"net/http"
	"sync"
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated/server"
)

// SetRateLimit makes the server enforce its hourly allowance from now on:
// remaining calls are left until reset; once they are used up, every call
// answers 420 with Retry-After until reset passes, and then a new hour of
// the allowance (500, or WithHourlyLimit's) starts. Without either the fake counts calls down
// but never refuses one: when the allowance runs out, the hour ends at once
// (the answer says Remaining 0 with Reset now) and the next call starts a
// new one, so long tests are never held up.
func (s *Server) SetRateLimit(remaining int, reset time.Time) {
	s.allowance.mu.Lock()
	defer s.allowance.mu.Unlock()
	s.allowance.enforce = true
	s.allowance.remaining = max(remaining, 0)
	s.allowance.reset = reset
}

// allowance is the fake's hourly rate limit, shared by every client of
// one Server as an account's is.
type allowance struct {
	mu        sync.Mutex
	limit     int
	remaining int
	reset     time.Time
	enforce   bool
	hour      time.Duration // the length of an hour: time.Hour unless WithHourlyLimit says otherwise
}

// hourEnd is the end of the hour now falls in: hours start at multiples
// of the hour's length since the Unix epoch, as the API's start on the
// hour.
func hourEnd(now time.Time, hour time.Duration) time.Time {
	ns := now.UnixNano()
	start := ns - ns%int64(hour)
	return time.Unix(0, start).Add(hour).UTC()
}

// take counts one call and returns the headers to answer it with. When the
// allowance is used up and enforced, retryAfter is how long until it resets
// (whole seconds, rounded up); it is 0 for a call that may go on.
func (a *allowance) take(now time.Time) (h server.ListPeople200ResponseHeaders, retryAfter time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !now.Before(a.reset) {
		a.remaining = a.limit
		a.reset = hourEnd(now, a.hour)
	}
	switch {
	case a.remaining > 0:
		a.remaining--
	case a.enforce:
		// Whole seconds, rounded up: a client that waits that long finds
		// the new hour begun.
		retryAfter = max((a.reset.Sub(now) + time.Second - 1).Truncate(time.Second), time.Second)
	}
	if !a.enforce && a.remaining == 0 {
		a.reset = now
	}
	return server.ListPeople200ResponseHeaders{
		XFeatureRateLimitLimit:     a.limit,
		XFeatureRateLimitRemaining: a.remaining,
		XFeatureRateLimitReset:     a.reset.UTC().Format(http.TimeFormat),
	}, retryAfter
}
