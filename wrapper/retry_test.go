package wrapper_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestRetriesTransientStatusesThenSucceeds(t *testing.T) {
	noLeaks(t)
	for _, status := range []int{420, 429, 500, 502, 503, 504} {
		s := peopletest.NewServer(t)
		id := s.People()[0].ID
		s.FailNext(2, status)
		if _, err := s.Client().GetPerson(ctx, id); err != nil {
			t.Errorf("HTTP %d twice then 200: %v", status, err)
		}
		if n := s.RequestCount(); n != 3 {
			t.Errorf("HTTP %d: %d requests, want 3", status, n)
		}
	}
}

func TestRetryCountsAndWhatIsNotRetried(t *testing.T) {
	noLeaks(t)
	cases := []struct {
		name     string
		fault    int
		opts     []wrapper.Option
		call     func(c *wrapper.Client, id string) error
		requests int
	}{
		{"default is 2 retries", 500, nil, get, 3},
		{"WithMaxRetries(4)", 503, []wrapper.Option{wrapper.WithMaxRetries(4)}, get, 5},
		{"WithMaxRetries(0) disables", 500, []wrapper.Option{wrapper.WithMaxRetries(0)}, get, 1},
		{"400 is final", 400, nil, get, 1},
		{"401 is final", 401, nil, get, 1},
		{"403 is final", 403, nil, get, 1},
		{"PUT is retried", 502, nil, func(c *wrapper.Client, id string) error {
			_, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Name: "x"})
			return err
		}, 3},
		{"inspect POST is retried", 504, nil, func(c *wrapper.Client, id string) error {
			_, err := c.InspectPeoplePermissions(ctx, []string{id}, "read")
			return err
		}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := peopletest.NewServer(t)
			id := s.People()[0].ID
			s.FailNext(100, tc.fault)
			err := tc.call(s.Client(tc.opts...), id)
			var apiErr *wrapper.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.fault {
				t.Errorf("err = %v, want the last HTTP %d", err, tc.fault)
			}
			if n := s.RequestCount(); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			// A retried PUT sends the same body every time.
			for _, r := range s.Requests() {
				if r.Method != http.MethodGet && len(r.Body) == 0 {
					t.Errorf("call %d (%s) had an empty body", r.Seq, r.Method)
				}
			}
		})
	}
}

func get(c *wrapper.Client, id string) error {
	_, err := c.GetPerson(ctx, id)
	return err
}

func TestRetryAfterIsHonoured(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	s.InjectFault(1, peopletest.Fault{Status: 429, RetryAfter: time.Second})
	if _, err := s.Client().GetPerson(ctx, id); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 950*time.Millisecond || gap > 3*time.Second {
		t.Errorf("retried after %v, want about the 1s Retry-After", gap)
	}
}

func TestRateLimitResetIsHonouredWhenNoRetryAfter(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int32
	reset := time.Now().Add(2 * time.Second).UTC().Truncate(time.Second)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("X-FeatureRateLimit-Limit", "500")
			w.Header().Set("X-FeatureRateLimit-Remaining", "0")
			w.Header().Set("X-FeatureRateLimit-Reset", reset.Format(http.TimeFormat))
			jsonBody(420, `{"error":{"message":"Rate Limit Exceeded"}}`)(w, r)
			return
		}
		jsonBody(200, onePerson)(w, r)
	})
	if _, err := srv.client(t).GetPerson(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); now.Before(reset.Add(-50 * time.Millisecond)) {
		t.Errorf("retried at %v, before the reset at %v", now, reset)
	}
}

func TestRetryNeverWaitsPastTheDeadline(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	s.InjectFault(5, peopletest.Fault{Status: 429, RetryAfter: 20 * time.Second})
	dctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Client().GetPerson(dctx, id)
	if elapsed := time.Since(start); elapsed > 300*time.Millisecond {
		t.Errorf("took %v; a wait that cannot fit before the deadline must not start", elapsed)
	}
	if !errors.Is(err, wrapper.ErrRateLimited) {
		t.Errorf("err = %v, want the 429 itself", err)
	}
	if n := s.RequestCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestCancelWhileWaitingToRetry(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	s.InjectFault(5, peopletest.Fault{Status: 503, RetryAfter: 10 * time.Second})
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Client().GetPerson(cctx, id)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("cancellation took %v to be noticed", elapsed)
	}
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	s.InjectFault(2, peopletest.Fault{DropConnection: true})
	if _, err := s.Client().GetPerson(ctx, id); err != nil {
		t.Errorf("two dropped connections then success: %v", err)
	}
	s.InjectFault(3, peopletest.Fault{DropConnection: true})
	_, err := s.Client().GetPerson(ctx, id)
	if !errors.Is(err, wrapper.ErrNetwork) {
		t.Errorf("three dropped connections: err = %v, want ErrNetwork", err)
	}
}

func TestBackoffGrows(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	s.FailNext(3, 500)
	if _, err := s.Client(wrapper.WithMaxRetries(3)).ListPeople(ctx, wrapper.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	var gaps []time.Duration
	for i := 1; i < len(reqs); i++ {
		gaps = append(gaps, reqs[i].Time.Sub(reqs[i-1].Time))
	}
	// Jitter keeps each wait in [d/2, d) for d = 100ms, 200ms, 400ms.
	if len(gaps) != 3 || gaps[0] < 50*time.Millisecond || gaps[2] < 200*time.Millisecond || gaps[2] > 2*time.Second {
		t.Errorf("waits between attempts = %v, want exponential backoff from ~100ms", gaps)
	}
}
