package wrapper_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestClientRateLimitIsTheLatestAllowanceSeen(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithHourlyLimit(1000, time.Hour))
	c := s.Client()
	id := s.People()[0].ID

	t.Run("unknown before any answer", func(t *testing.T) {
		assert.False(t, c.RateLimit().Known())
		assert.Equal(t, wrapper.RateLimit{}, c.RateLimit())
	})
	t.Run("from a get, which carries no page", func(t *testing.T) {
		_, err := c.GetPerson(ctx, id)
		require.NoError(t, err)
		rl := c.RateLimit()
		assert.True(t, rl.Known())
		assert.Equal(t, 1000, rl.Limit)
		assert.Equal(t, 999, rl.Remaining)
		assert.True(t, rl.Reset.After(time.Now()))
	})
	t.Run("from calls through Generated()", func(t *testing.T) {
		_, err := c.Generated().GetPersonWithResponse(ctx, c.CloudName(), id)
		require.NoError(t, err)
		assert.Equal(t, 998, c.RateLimit().Remaining)
	})
	t.Run("from an error answer", func(t *testing.T) {
		_, err := c.GetPerson(ctx, "nobody")
		require.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.Equal(t, 997, c.RateLimit().Remaining)
	})
	t.Run("an answer without headers keeps what was known", func(t *testing.T) {
		s.InjectFault(1, peopletest.Fault{Status: 503, HTML: true})
		// The HTML 503 carries no headers; the retry that follows does.
		_, err := c.Generated().GetPersonWithResponse(ctx, c.CloudName(), id)
		require.NoError(t, err)
		assert.True(t, c.RateLimit().Known())
	})
	t.Run("safe from many goroutines", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				_, err := c.GetPerson(ctx, id)
				assert.NoError(t, err)
				assert.True(t, c.RateLimit().Known())
			})
		}
		wg.Wait()
		assert.Less(t, c.RateLimit().Remaining, 997)
	})
}

func TestRateLimitKnownTellsAbsentHeadersApart(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, respond(503, "text/html", "<html><body>503 Service Unavailable</body></html>"))
	c := srv.client(t, wrapper.WithMaxRetries(0))
	_, err := c.GetPerson(ctx, "p1")
	var apiErr *wrapper.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.False(t, apiErr.RateLimit.Known(), "a proxy page says nothing about the allowance")
	assert.False(t, c.RateLimit().Known())

	for _, rl := range []wrapper.RateLimit{{Limit: 500}, {Remaining: 3}, {Reset: time.Now()}, {Limit: 500, Remaining: 0, Reset: time.Now()}} {
		assert.True(t, rl.Known(), "%+v", rl)
	}
}

func TestCallsFailAtOnceWhenTheAllowanceIsUsedUp(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	reset := time.Now().Add(time.Hour).Truncate(time.Second)
	s.SetRateLimit(1, reset)
	c := s.Client()

	_, err := c.GetPerson(ctx, id)
	require.NoError(t, err, "the last call of the hour")
	require.Equal(t, 0, c.RateLimit().Remaining)
	sent := s.RequestCount()

	for name, call := range map[string]func() error{
		"get":     func() error { _, err := c.GetPerson(ctx, id); return err },
		"list":    func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{}); return err },
		"update":  func() error { _, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Name: "X"}); return err },
		"inspect": func() error { _, err := c.InspectPeoplePermissions(ctx, []string{id}, "read"); return err },
		"generated": func() error {
			_, err := c.Generated().GetPersonWithResponse(ctx, c.CloudName(), id)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := call()
			assert.ErrorIs(t, err, wrapper.ErrRateLimited)
			assert.ErrorContains(t, err, reset.UTC().Format(time.RFC3339), "the error names the reset time")
			assert.Less(t, time.Since(start), 500*time.Millisecond, "no wait for a reset an hour away")
			assert.Equal(t, sent, s.RequestCount(), "nothing may be sent")
		})
	}
}

func TestWithWaitForRateLimitWaitsForTheReset(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	var (
		reset, sentAt         time.Time
		early, waited         error
		earlyTook             time.Duration
		afterEarly, afterWait int
	)
	// In a bubble: the wait for the reset passes on its clock, exactly.
	synctest.Test(t, func(t *testing.T) {
		reset = time.Now().Truncate(time.Second).Add(2 * time.Second)
		s.SetRateLimit(1, reset)
		c := pipeClient(t, s, wrapper.WithWaitForRateLimit())
		_, err := c.GetPerson(t.Context(), id)
		require.NoError(t, err)

		cctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, early = c.GetPerson(cctx, id)
		earlyTook, afterEarly = time.Since(start), s.RequestCount()

		_, waited = c.GetPerson(t.Context(), id)
		sentAt, afterWait = time.Now(), s.RequestCount()
	})
	t.Run("a deadline before the reset fails at once", func(t *testing.T) {
		assert.ErrorIs(t, early, wrapper.ErrRateLimited)
		assert.Zero(t, earlyTook, "no wait that cannot end before the deadline")
		assert.Equal(t, 1, afterEarly)
	})
	t.Run("without one the call waits and succeeds", func(t *testing.T) {
		require.NoError(t, waited)
		assert.False(t, sentAt.Before(reset), "sent before the reset")
		assert.Equal(t, 2, afterWait, "one call after the reset, no 420")
	})
}

func TestRateLimitFurtherThanTheRetryCapComesBackAtOnce(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	inAnHour := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	cases := []struct {
		name    string
		status  int
		headers []string
	}{
		{"429 with Retry-After an hour away", 429, []string{"Retry-After", "3600"}},
		{"420 with the reset an hour away", 420, []string{"X-FeatureRateLimit-Limit", "500", "X-FeatureRateLimit-Remaining", "0", "X-FeatureRateLimit-Reset", inAnHour}},
		{"429 with an HTTP-date Retry-After", 429, []string{"Retry-After", inAnHour}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jsonBody(tc.status, `{"error":{"message":"Rate Limit Exceeded"}}`, tc.headers...))
			start := time.Now()
			_, err := srv.client(t, wrapper.WithMaxRetries(3)).GetPerson(ctx, "p1")
			assert.ErrorIs(t, err, wrapper.ErrRateLimited)
			assert.Less(t, time.Since(start), time.Second)
			assert.Len(t, srv.Calls(), 1)
		})
	}
	t.Run("on the fake, then nothing more is sent", func(t *testing.T) {
		s := peopletest.NewServer(t)
		s.SetRateLimit(0, time.Now().Add(time.Hour))
		c := s.Client(wrapper.WithMaxRetries(3))
		for range 3 {
			_, err := c.ListPeople(ctx, wrapper.ListOptions{})
			assert.ErrorIs(t, err, wrapper.ErrRateLimited)
		}
		assert.Equal(t, 1, s.RequestCount(), "one 420, then failing at once")
	})
}

func TestAllPeopleAsksForFullPages(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(1000), peopletest.WithoutValidation())
	c := s.Client()
	ids := collectIDs(t, c.AllPeople(ctx, wrapper.ListOptions{}))
	assert.Len(t, ids, 1000)
	assert.Equal(t, 10, s.RequestCount(), "1,000 people at 100 a page")
	for i, r := range s.Requests() {
		assert.Equal(t, fmt.Sprint(wrapper.MaxPageSize), r.Query.Get("max_results"), "page %d", i)
	}

	t.Run("ListPeople still sends no max_results when unset", func(t *testing.T) {
		before := s.RequestCount()
		_, err := c.ListPeople(ctx, wrapper.ListOptions{})
		require.NoError(t, err)
		last := s.Requests()[before]
		assert.False(t, last.Query.Has("max_results"))
	})
	t.Run("an explicit page size is kept", func(t *testing.T) {
		before := s.RequestCount()
		n := 0
		for _, err := range c.AllPeople(ctx, wrapper.ListOptions{MaxResults: 7}) {
			require.NoError(t, err)
			if n++; n == 10 {
				break
			}
		}
		assert.Equal(t, "7", s.Requests()[before].Query.Get("max_results"))
	})
}

// rateLimited answers status with the given allowance headers; an empty
// remaining leaves that header out.
func rateLimited(status int, remaining string, reset time.Time) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-FeatureRateLimit-Limit", "500")
		if remaining != "-" {
			w.Header().Set("X-FeatureRateLimit-Remaining", remaining)
		}
		w.Header().Set("X-FeatureRateLimit-Reset", reset.UTC().Format(http.TimeFormat))
		jsonBody(status, `{"error":{"message":"nope"}}`)(w, r)
	}
}

func TestAResetYearsAwayLocksAClientForAnHourAtMost(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, rateLimited(404, "0", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)))
	c := srv.client(t)
	_, err := c.GetPerson(ctx, "p1")
	require.ErrorIs(t, err, wrapper.ErrNotFound)

	t.Run("the lock ends within the hour and says why", func(t *testing.T) {
		_, err := c.GetPerson(ctx, "p1")
		require.ErrorIs(t, err, wrapper.ErrRateLimited)
		assert.NotContains(t, err.Error(), "until 2100")
		assert.Contains(t, err.Error(), "more than an hour away")
		assert.Len(t, srv.Calls(), 1, "nothing sent while locked")
	})
	t.Run("waiting callers wait an hour at most", func(t *testing.T) {
		w := srv.client(t, wrapper.WithWaitForRateLimit())
		_, err := w.GetPerson(ctx, "p1")
		require.ErrorIs(t, err, wrapper.ErrNotFound)
		// The reset is believed to be an hour away, before a deadline 61
		// minutes away, so the call waits rather than failing at once.
		short, cancel := context.WithTimeout(ctx, 61*time.Minute)
		defer cancel()
		done := make(chan error, 1)
		waitCtx, stop := context.WithCancel(short)
		go func() { _, err := w.GetPerson(waitCtx, "p1"); done <- err }()
		time.Sleep(50 * time.Millisecond)
		stop()
		err = <-done
		require.ErrorIs(t, err, context.Canceled)
	})
}

func TestOnlyAnExplicitZeroRemainingLocksAClient(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	reset := time.Now().Add(2 * time.Hour)
	for _, remaining := range []string{"-", "", "abc", "12.0", "-5", " 7 "} {
		t.Run(fmt.Sprintf("Remaining %q", remaining), func(t *testing.T) {
			srv := newServer(t, rateLimited(404, remaining, reset))
			c := srv.client(t)
			for range 3 {
				_, err := c.GetPerson(ctx, "p1")
				require.ErrorIs(t, err, wrapper.ErrNotFound)
			}
			assert.Len(t, srv.Calls(), 3)
		})
	}
	t.Run("Remaining 0 does", func(t *testing.T) {
		srv := newServer(t, rateLimited(404, " 0", reset))
		c := srv.client(t)
		_, err := c.GetPerson(ctx, "p1")
		require.ErrorIs(t, err, wrapper.ErrNotFound)
		_, err = c.GetPerson(ctx, "p1")
		require.ErrorIs(t, err, wrapper.ErrRateLimited)
		assert.Len(t, srv.Calls(), 1)
	})
}

func TestRetriesStopWhenTheAllowanceIsUsedUp(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, rateLimited(503, "0", time.Now().Add(time.Hour)))
	_, err := srv.client(t, wrapper.WithMaxRetries(2)).GetPerson(ctx, "p1")
	require.ErrorIs(t, err, wrapper.ErrServer)
	assert.Len(t, srv.Calls(), 1, "a retry would be refused: nothing more is sent")
}
