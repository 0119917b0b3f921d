package wrapper_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// recorder is an Observer that writes down what it is told, one line a
// thing, and marks each attempt with a header.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *recorder) observer() wrapper.Observer {
	return wrapper.Observer{
		Call: func(ctx context.Context, op string) (context.Context, func(error)) {
			r.add("call %s", op)
			return ctx, func(err error) { r.add("end %s: %v", op, err != nil) }
		},
		Attempt: func(ctx context.Context, req *http.Request, n int) (context.Context, func(int, error)) {
			req.Header.Set("X-Attempt-Mark", fmt.Sprint(n))
			return ctx, func(status int, err error) { r.add("attempt %d: %d", n, status) }
		},
		Wait: func(_ context.Context, reason string, d time.Duration) { r.add("wait %s", reason) },
		RateLimit: func(_ context.Context, rl wrapper.RateLimit) {
			if rl.Known() {
				r.add("rate limit")
			}
		},
	}
}

func TestAnObserverSeesCallsAttemptsAndWaits(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	var rec recorder
	c := s.Client(wrapper.WithObserver(rec.observer()))
	id := s.People()[0].ID
	s.FailNext(1, 503)
	_, err := c.GetPerson(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"call GetPerson", "rate limit", "attempt 0: 503", "wait retry", "rate limit", "attempt 1: 200", "end GetPerson: false",
	}, rec.lines)
	for i, req := range s.Requests() {
		assert.Equal(t, fmt.Sprint(i), req.Header.Get("X-Attempt-Mark"), "the observer's header went out on attempt %d", i)
	}

	t.Run("an API error ends the call with it", func(t *testing.T) {
		rec.lines = nil
		_, err := c.GetPerson(t.Context(), "nobody")
		require.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.Equal(t, "end GetPerson: true", rec.lines[len(rec.lines)-1])
	})
	t.Run("each page is a ListPeople call", func(t *testing.T) {
		rec.lines = nil
		for _, err := range c.AllPeople(t.Context(), wrapper.ListOptions{MaxResults: 5}) {
			require.NoError(t, err)
		}
		calls := 0
		for _, l := range rec.lines {
			if l == "call ListPeople" {
				calls++
			}
		}
		assert.Equal(t, s.PeopleCount()/5+min(s.PeopleCount()%5, 1), calls)
	})
}
