package wrapper_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestRetriesTransientStatusesThenSucceeds(t *testing.T) {
	t.Parallel()
	for _, status := range []int{420, 429, 500, 502, 503, 504} {
		t.Run("HTTP "+strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			s := peopletest.NewServer(t)
			id := s.People()[0].ID
			s.FailNext(2, status)
			synctest.Test(t, func(t *testing.T) {
				_, err := pipeClient(t, s).GetPerson(t.Context(), id)
				assert.NoError(t, err, "twice %d then 200", status)
			})
			assert.Equal(t, 3, s.RequestCount())
		})
	}
}

func TestRetryCountsAndWhatIsNotRetried(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		fault    int
		opts     []wrapper.Option
		call     func(ctx context.Context, c *wrapper.Client, id string) error
		requests int
	}{
		{"default is 2 retries", 500, nil, get, 3},
		{"WithMaxRetries(4)", 503, []wrapper.Option{wrapper.WithMaxRetries(4)}, get, 5},
		{"WithMaxRetries(0) disables", 500, []wrapper.Option{wrapper.WithMaxRetries(0)}, get, 1},
		{"400 is final", 400, nil, get, 1},
		{"401 is final", 401, nil, get, 1},
		{"403 is final", 403, nil, get, 1},
		{"PUT is retried", 502, nil, func(ctx context.Context, c *wrapper.Client, id string) error {
			_, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Name: "x"})
			return err
		}, 3},
		{"inspect POST is retried", 504, nil, func(ctx context.Context, c *wrapper.Client, id string) error {
			_, err := c.InspectPeoplePermissions(ctx, []string{id}, "read")
			return err
		}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := peopletest.NewServer(t)
			id := s.People()[0].ID
			s.FailNext(100, tc.fault)
			var err error
			synctest.Test(t, func(t *testing.T) {
				err = tc.call(t.Context(), pipeClient(t, s, tc.opts...), id)
			})
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.fault, apiErr.StatusCode, "the last answer")
			assert.Equal(t, tc.requests, s.RequestCount())
			// A retried PUT sends the same body every time.
			for _, r := range s.Requests() {
				if r.Method != http.MethodGet {
					assert.NotEmpty(t, r.Body, "call %d (%s)", r.Seq, r.Method)
				}
			}
		})
	}
}

func get(ctx context.Context, c *wrapper.Client, id string) error {
	_, err := c.GetPerson(ctx, id)
	return err
}

// timedCalls serves fail (then 200s) in memory and records when each call
// came, on the synctest bubble's clock.
func timedCalls(t *testing.T, fail http.HandlerFunc, failures int, opts ...wrapper.Option) (*wrapper.Client, func() []time.Time) {
	var mu sync.Mutex
	var at []time.Time
	c := pipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		n := len(at)
		mu.Unlock()
		if n <= failures {
			fail(w, r)
			return
		}
		jsonBody(200, onePerson)(w, r)
	}), opts...)
	return c, func() []time.Time {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), at...)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, calls := timedCalls(t, jsonBody(429, `{"error":{"message":"slow down"}}`, "Retry-After", "1"), 1)
		_, err := c.GetPerson(t.Context(), "p1")
		require.NoError(t, err)
		at := calls()
		require.Len(t, at, 2)
		assert.Equal(t, time.Second, at[1].Sub(at[0]), "the retry waits the Retry-After, no more")
	})
}

func TestRateLimitResetIsHonouredWhenNoRetryAfter(t *testing.T) {
	t.Parallel()
	// In a bubble: the wait for the reset passes on its clock, exactly.
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		reset := time.Now().Add(2 * time.Second).UTC().Truncate(time.Second)
		c := pipeClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				w.Header().Set("X-FeatureRateLimit-Limit", "500")
				w.Header().Set("X-FeatureRateLimit-Remaining", "0")
				w.Header().Set("X-FeatureRateLimit-Reset", reset.Format(http.TimeFormat))
				jsonBody(420, `{"error":{"message":"Rate Limit Exceeded"}}`)(w, r)
				return
			}
			jsonBody(200, onePerson)(w, r)
		}))
		_, err := c.GetPerson(t.Context(), "p1")
		require.NoError(t, err)
		assert.False(t, time.Now().Before(reset), "retried before the reset at %v", reset)
		assert.EqualValues(t, 2, calls.Load())
	})
}

func TestRetryNeverWaitsPastTheDeadline(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	s.InjectFault(5, peopletest.Fault{Status: 429, RetryAfter: 20 * time.Second})
	synctest.Test(t, func(t *testing.T) {
		dctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := pipeClient(t, s).GetPerson(dctx, id)
		assert.Zero(t, time.Since(start), "a wait that cannot fit before the deadline must not start")
		assert.ErrorIs(t, err, wrapper.ErrRateLimited, "the 429 itself")
	})
	assert.Equal(t, 1, s.RequestCount())
}

func TestCancelWhileWaitingToRetry(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	s.InjectFault(5, peopletest.Fault{Status: 503, RetryAfter: 10 * time.Second})
	synctest.Test(t, func(t *testing.T) {
		cctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(200*time.Millisecond, cancel)
		start := time.Now()
		_, err := pipeClient(t, s).GetPerson(cctx, id)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 200*time.Millisecond, time.Since(start), "the wait ends when the context does")
	})
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	t.Run("two dropped connections then success", func(t *testing.T) {
		s.InjectFault(2, peopletest.Fault{DropConnection: true})
		_, err := s.Client().GetPerson(ctx, id)
		assert.NoError(t, err)
	})
	t.Run("three dropped connections", func(t *testing.T) {
		s.InjectFault(3, peopletest.Fault{DropConnection: true})
		_, err := s.Client().GetPerson(ctx, id)
		assert.ErrorIs(t, err, wrapper.ErrNetwork)
	})
}

func TestBackoffGrows(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, calls := timedCalls(t, jsonBody(500, `{"error":{"message":"General Error"}}`), 3, wrapper.WithMaxRetries(3))
		_, err := c.GetPerson(t.Context(), "p1")
		require.NoError(t, err)
		at := calls()
		require.Len(t, at, 4)
		// Jitter keeps each wait in [d/2, d) for d = 100ms, 200ms, 400ms.
		for i, d := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond} {
			gap := at[i+1].Sub(at[i])
			assert.GreaterOrEqual(t, gap, d/2, "wait %d", i+1)
			assert.Less(t, gap, d, "wait %d", i+1)
		}
	})
}

func TestRetryAfterTooLargeForADurationIsClampedNotIgnored(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	for _, status := range []int{429, 420, 503} {
		for _, value := range []string{"9223372037", "9223372036854775807", "99999999999999999999999"} {
			t.Run(fmt.Sprintf("%d Retry-After %s", status, value), func(t *testing.T) {
				srv := newServer(t, jsonBody(status, `{"error":{"message":"slow down"}}`, "Retry-After", value))
				cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
				defer cancel()
				start := time.Now()
				_, err := srv.client(t, wrapper.WithMaxRetries(3)).GetPerson(cctx, "p1")
				var apiErr *wrapper.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Less(t, time.Since(start), time.Second, "a wait past the deadline must give the answer back at once")
				assert.Len(t, srv.Calls(), 1, "an overflowed Retry-After was read as a short wait")
			})
		}
	}
}
