package main

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/redisallowance"
)

// redisProbeTimeout bounds the check that -redis answers before a job
// starts: a job should not spend its first call to learn Redis is down.
const redisProbeTimeout = 5 * time.Second

// quietRedis drops go-redis's own log lines (its pool's dial failures,
// several per call): the command reports a Redis failure once, in its
// own words.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func init() { redis.SetLogger(quietRedis{}) }

// check refuses flags no job can run with, before anything is opened.
func (c common) check() error {
	if c.reserve < 0 {
		return fmt.Errorf("%w: -reserve must be 0 or more, got %d", errUsage, c.reserve)
	}
	if c.redis != "" {
		if _, err := redis.ParseURL(c.redis); err != nil {
			return fmt.Errorf("%w: -redis %s is not a Redis URL (want redis://[:password@]host:port/db): %s",
				errUsage, redactURL(c.redis), withoutSecret(err.Error(), c.redis))
		}
	}
	return nil
}

// newClient builds the Client a job uses, from flags c.check has passed:
// configured from CLOUDINARY_URL,
// waiting across hourly resets (telling onWait, for the countdown), with
// the reserve and, with -redis, an allowance shared through Redis, which
// must answer first. close releases what it opened.
func newClient(ctx context.Context, c common, t target, onWait func(until time.Time)) (client *wrapper.Client, close func(), err error) {
	opts := []wrapper.Option{
		wrapper.WithReserve(c.reserve), wrapper.WithWaitForRateLimit(), wrapper.WithRateLimitWaitHook(onWait),
		wrapper.WithUserAgent("people-cli"),
	}
	var rdb *redis.Client
	if c.redis != "" {
		if rdb, err = dialRedis(ctx, c.redis); err != nil {
			return nil, nil, err
		}
		// The key names the account: its allowance is the account's.
		a, err := redisallowance.New(rdb, "cloudinary-people:allowance:"+t.cloud)
		if err != nil {
			rdb.Close()
			return nil, nil, err
		}
		opts = append(opts, wrapper.WithAllowance(a))
	}
	client, err = wrapper.New(opts...)
	if err != nil {
		if rdb != nil {
			rdb.Close()
		}
		return nil, nil, fmt.Errorf("%w: CLOUDINARY_URL: %s", errConfig, bareMessage(err))
	}
	return client, func() {
		client.Close()
		if rdb != nil {
			rdb.Close()
		}
	}, nil
}

// dialRedis connects to the Redis at raw and proves it answers.
func dialRedis(ctx context.Context, raw string) (*redis.Client, error) {
	ro, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: -redis %s: %s", errUsage, redactURL(raw), withoutSecret(err.Error(), raw))
	}
	rdb := redis.NewClient(ro)
	ctx, cancel := context.WithTimeout(ctx, redisProbeTimeout)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("-redis %s does not answer: %s", redactURL(raw), withoutSecret(err.Error(), raw))
	}
	return rdb, nil
}
