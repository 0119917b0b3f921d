package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// statuses are the statuses the fake answered, in order.
func statuses(s *peopletest.Server) []int {
	var out []int
	for _, r := range s.Requests() {
		out = append(out, r.Status)
	}
	return out
}

func TestWithReserveLeavesCallsToOthers(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithHourlyLimit(10, testkit.HourNotEndingSoon(time.Now(), time.Minute)))
	c := s.Client(wrapper.WithReserve(3))
	id := s.People()[0].ID
	var err error
	sent := 0
	for range 20 {
		if _, err = c.GetPerson(ctx, id); err != nil {
			break
		}
		sent++
	}
	t.Run("calls stop once Remaining reaches the reserve", func(t *testing.T) {
		assert.Equal(t, 7, sent)
		assert.Equal(t, 7, s.RequestCount(), "the refused call sent nothing")
	})
	t.Run("the error is ErrRateLimited and names the reserve", func(t *testing.T) {
		require.ErrorIs(t, err, wrapper.ErrRateLimited)
		var ae *wrapper.AllowanceError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 3, ae.Reserve)
		assert.Equal(t, 3, ae.Remaining)
		assert.Equal(t, 10, ae.Limit)
		assert.Contains(t, err.Error(), "WithReserve(3)")
		assert.True(t, ae.Until.After(time.Now()))
	})
	t.Run("a client without a reserve may still use them", func(t *testing.T) {
		other := s.Client()
		for range 3 {
			_, err := other.GetPerson(ctx, id)
			require.NoError(t, err)
		}
	})
}

func TestWithReserveWaitsForTheNextHourWhenAskedTo(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(40), peopletest.WithHourlyLimit(3, time.Second))
	var waits []time.Time
	n := 0
	// In a bubble, the fake's one-second hours pass on its clock.
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		c := pipeClient(t, s, wrapper.WithReserve(1), wrapper.WithWaitForRateLimit(), wrapper.WithRateLimitWaitHook(func(until time.Time) {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, until)
		}))
		for _, err := range c.AllPeople(t.Context(), wrapper.ListOptions{MaxResults: 10}) {
			require.NoError(t, err)
			n++
		}
	})
	assert.Equal(t, 40, n)
	assert.NotContains(t, statuses(s), 420, "no call was refused by the server")
	assert.NotEmpty(t, waits, "the hook heard of the wait")
	assert.Equal(t, 4, s.RequestCount(), "four pages of ten, two an hour with the reserve kept")
}

func TestAnAllowanceSharedByClientsIsSpentOnce(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithHourlyLimit(6, testkit.HourNotEndingSoon(time.Now(), time.Minute)))
	shared := &wrapper.LocalAllowance{}
	a := s.Client(wrapper.WithAllowance(shared))
	b := s.Client(wrapper.WithAllowance(shared))
	id := s.People()[0].ID
	var refused int
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := a
			if i%2 == 1 {
				c = b
			}
			_, err := c.GetPerson(ctx, id)
			if errors.Is(err, wrapper.ErrRateLimited) {
				mu.Lock()
				refused++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// The first call teaches the allowance what the hour holds; calls in
	// flight before that answer may reach the server and be refused there.
	assert.LessOrEqual(t, s.RequestCount(), 12)
	assert.Equal(t, 12, refused+countStatus(s, http.StatusOK))
	t.Run("once known, nothing more is sent", func(t *testing.T) {
		before := s.RequestCount()
		_, err := a.GetPerson(ctx, id)
		require.ErrorIs(t, err, wrapper.ErrRateLimited)
		_, err = b.GetPerson(ctx, id)
		require.ErrorIs(t, err, wrapper.ErrRateLimited)
		assert.Equal(t, before, s.RequestCount())
	})
}

func countStatus(s *peopletest.Server, status int) int {
	n := 0
	for _, st := range statuses(s) {
		if st == status {
			n++
		}
	}
	return n
}

func TestAllowanceOptionsRefuseBadValues(t *testing.T) {
	for name, opt := range map[string]wrapper.Option{
		"a negative reserve": wrapper.WithReserve(-1),
		"a nil allowance":    wrapper.WithAllowance(nil),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), opt)
			assert.ErrorIs(t, err, wrapper.ErrConfig)
		})
	}
}

func TestAClientsOwnAllowanceBelievesTheLatestAnswer(t *testing.T) {
	t.Parallel()
	// The fake without an enforced limit starts its count (500) again when
	// it runs out, within the same reset: a Client that counted calls
	// itself would lock here.
	s := peopletest.NewServer(t)
	c := s.Client()
	id := s.People()[0].ID
	for i := range 503 {
		_, err := c.GetPerson(t.Context(), id)
		require.NoError(t, err, "call %d", i+1)
	}
	assert.Equal(t, 503, s.RequestCount())
}

func TestAReserveThatKeepsTheWholeHourFailsAtOnceOnceTheLimitIsKnown(t *testing.T) {
	for name, allowance := range map[string]func() wrapper.Option{
		"the Client's own": func() wrapper.Option { return wrapper.WithMaxRetries(0) },
		"a LocalAllowance": func() wrapper.Option { return wrapper.WithAllowance(&wrapper.LocalAllowance{}) },
	} {
		for _, reserve := range []int{10, 11} {
			t.Run(fmt.Sprintf("%s, reserve %d of 10", name, reserve), func(t *testing.T) {
				s := peopletest.NewServer(t, peopletest.WithHourlyLimit(10, time.Hour))
				c := s.Client(allowance(), wrapper.WithReserve(reserve), wrapper.WithWaitForRateLimit())
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()
				_, err := c.ListPeople(ctx, wrapper.ListOptions{})
				require.NoError(t, err, "the first call learns the limit")
				start := time.Now()
				_, err = c.ListPeople(ctx, wrapper.ListOptions{})
				assert.ErrorIs(t, err, wrapper.ErrConfig)
				assert.ErrorContains(t, err, fmt.Sprintf("WithReserve(%d) leaves no call of the hourly limit of 10", reserve))
				assert.Less(t, time.Since(start), 5*time.Second, "no wait for an hour that would be all reserve")
				assert.Equal(t, 1, s.RequestCount(), "nothing more was sent")
			})
		}
	}
}
