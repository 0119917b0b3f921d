package redisallowance_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
	"github.com/cldpeople/cloudinary-people-go/wrapper/redisallowance"
)

// connect opens a Redis client of its own, as a separate process would.
func connect(t *testing.T, addr, key string) *redisallowance.Allowance {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	a, err := redisallowance.New(rdb, key)
	require.NoError(t, err)
	return a
}

func TestWorkersSharingRedisAreNeverRefused(t *testing.T) {
	ctx := t.Context()
	addr := testkit.StartRedis(t)
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(60), peopletest.WithHourlyLimit(10, time.Second))
	var wg sync.WaitGroup
	var people atomic.Int64
	for range 3 {
		c := s.Client(wrapper.WithAllowance(connect(t, addr, "acct")), wrapper.WithWaitForRateLimit())
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, err := range c.AllPeople(ctx, wrapper.ListOptions{MaxResults: 12}) {
				if !assert.NoError(t, err) {
					return
				}
				people.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(180), people.Load())
	for _, r := range s.Requests() {
		assert.Equal(t, 200, r.Status, "call %d at %s was refused", r.Seq, r.Time.Format(time.StampMilli))
	}
}

func TestTakesAreAtomicAcrossConnections(t *testing.T) {
	ctx := t.Context()
	addr := testkit.StartRedis(t)
	now := time.Now()
	first := connect(t, addr, "acct")
	require.NoError(t, first.Observe(ctx, wrapper.RateLimit{Limit: 20, Remaining: 20, Reset: now.Add(time.Hour)}, false, now))

	var granted atomic.Int64
	var wg sync.WaitGroup
	for range 5 {
		a := connect(t, addr, "acct")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				c, err := a.Take(ctx, 2, now)
				if assert.NoError(t, err) && c.Granted {
					granted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(18), granted.Load(), "the limit less the reserve, however many take at once")
}

func TestANewHourStartsFromTheLastKnownLimit(t *testing.T) {
	ctx := t.Context()
	addr := testkit.StartRedis(t)
	a := connect(t, addr, "acct")
	now := time.Now()
	// The hour is Redis's: this one ends in a second of real time.
	reset := now.Add(time.Second)
	require.NoError(t, a.Observe(ctx, wrapper.RateLimit{Limit: 7, Remaining: 0, Reset: reset}, true, now))
	c, err := a.Take(ctx, 0, now)
	require.NoError(t, err)
	require.False(t, c.Granted, "used up until the reset")
	assert.WithinDuration(t, reset, c.Until, 500*time.Millisecond)

	time.Sleep(time.Until(c.Until) + 100*time.Millisecond)
	c, err = a.Take(ctx, 0, time.Now())
	require.NoError(t, err)
	assert.True(t, c.Granted)
	assert.Equal(t, 6, c.Remaining, "the new hour counts down from the last limit")
	assert.Equal(t, 7, c.Limit)
}

func TestAnUnreachableRedisSendsNothing(t *testing.T) {
	ctx := t.Context()
	s := peopletest.NewServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	a, err := redisallowance.New(rdb, "acct")
	require.NoError(t, err)
	_, err = s.Client(wrapper.WithAllowance(a)).GetPerson(ctx, s.People()[0].ID)
	require.ErrorIs(t, err, wrapper.ErrNetwork)
	assert.Contains(t, err.Error(), "allowance")
	assert.Zero(t, s.RequestCount())
}

func TestNewRefusesWhatCannotWork(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { rdb.Close() })
	t.Run("a nil client", func(t *testing.T) {
		_, err := redisallowance.New(nil, "k")
		assert.Error(t, err)
	})
	t.Run("an empty key", func(t *testing.T) {
		_, err := redisallowance.New(rdb, "")
		assert.Error(t, err)
	})
}

// skewed is a worker whose clock is off by by: it tells the allowance
// its own time, and reads the time to try again on it.
type skewed struct {
	a  wrapper.Allowance
	by time.Duration
}

func (s skewed) Take(ctx context.Context, reserve int, now time.Time) (wrapper.Claim, error) {
	c, err := s.a.Take(ctx, reserve, now.Add(s.by))
	if !c.Until.IsZero() {
		c.Until = c.Until.Add(-s.by)
	}
	return c, err
}

func (s skewed) Observe(ctx context.Context, rl wrapper.RateLimit, usedUp bool, now time.Time) error {
	return s.a.Observe(ctx, rl, usedUp, now.Add(s.by))
}

func TestWorkersWhoseClocksDisagreeShareOneHour(t *testing.T) {
	t.Parallel()
	addr := testkit.StartRedis(t)
	t.Run("a clock ahead does not start the next hour early", func(t *testing.T) {
		ctx := t.Context()
		now := time.Now()
		honest, ahead := connect(t, addr, "early"), skewed{connect(t, addr, "early"), 2 * time.Second}
		require.NoError(t, honest.Observe(ctx, wrapper.RateLimit{Limit: 10, Remaining: 0, Reset: now.Add(time.Second)}, true, now))
		c, err := ahead.Take(ctx, 0, now)
		require.NoError(t, err)
		assert.False(t, c.Granted, "the server's hour has a second to go")
		assert.WithinDuration(t, now.Add(time.Second), c.Until, 500*time.Millisecond, "on the worker's own clock")
	})
	t.Run("workers two seconds apart are never refused", func(t *testing.T) {
		ctx := t.Context()
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(60), peopletest.WithHourlyLimit(10, 3*time.Second))
		var wg sync.WaitGroup
		for _, by := range []time.Duration{-time.Second, time.Second} {
			c := s.Client(wrapper.WithAllowance(skewed{connect(t, addr, "apart"), by}), wrapper.WithWaitForRateLimit())
			wg.Go(func() {
				for _, err := range c.AllPeople(ctx, wrapper.ListOptions{MaxResults: 6}) {
					if !assert.NoError(t, err) {
						return
					}
				}
			})
		}
		wg.Wait()
		for _, r := range s.Requests() {
			assert.Equal(t, 200, r.Status, "call %d at %s was refused", r.Seq, r.Time.Format(time.StampMilli))
		}
	})
}

// commandCounter counts the commands a client sends Redis.
type commandCounter struct{ n atomic.Int64 }

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}
func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func TestEachTakeAndObserveIsOneRoundTrip(t *testing.T) {
	ctx := t.Context()
	addr := testkit.StartRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	var count commandCounter
	rdb.AddHook(&count)
	a, err := redisallowance.New(rdb, "acct")
	require.NoError(t, err)
	now := time.Now()
	require.NoError(t, a.Observe(ctx, wrapper.RateLimit{Limit: 50, Remaining: 50, Reset: now.Add(time.Hour)}, false, now)) // loads the script
	before := count.n.Load()
	for range 10 {
		_, err := a.Take(ctx, 0, now)
		require.NoError(t, err)
		require.NoError(t, a.Observe(ctx, wrapper.RateLimit{Limit: 50, Remaining: 40, Reset: now.Add(time.Hour)}, false, now))
	}
	assert.Equal(t, int64(20), count.n.Load()-before, "one command a call, none retried")
}

func TestACountOfAnotherFormatIsNotRead(t *testing.T) {
	ctx := t.Context()
	addr := testkit.StartRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	// What an older version stored under the key itself: a used-up hour.
	require.NoError(t, rdb.Set(ctx, "acct", `{"Known":true,"Limit":10,"Remaining":0}`, time.Hour).Err())
	a, err := redisallowance.New(rdb, "acct")
	require.NoError(t, err)
	c, err := a.Take(ctx, 0, time.Now())
	require.NoError(t, err)
	assert.True(t, c.Granted, "nothing known under this format: the first answer will say")
}
