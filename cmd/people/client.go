package main

import (
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/redisallowance"
)

// newClient builds the Client a job uses: configured from CLOUDINARY_URL,
// waiting across hourly resets (telling onWait, for the countdown), with
// the reserve and, with -redis, an allowance shared through Redis. close
// releases what it opened.
func newClient(c common, onWait func(until time.Time)) (client *wrapper.Client, close func(), err error) {
	if c.reserve < 0 {
		return nil, nil, fmt.Errorf("%w: -reserve must be 0 or more", errUsage)
	}
	opts := []wrapper.Option{
		wrapper.WithReserve(c.reserve), wrapper.WithWaitForRateLimit(), wrapper.WithRateLimitWaitHook(onWait),
		wrapper.WithUserAgent("people-cli"),
	}
	// The Redis key names the cloud, which only a Client knows once it has
	// read CLOUDINARY_URL.
	probe, err := wrapper.New()
	if err != nil {
		return nil, nil, err
	}
	cloud := probe.CloudName()
	probe.Close()

	var rdb *redis.Client
	if c.redis != "" {
		ro, err := redis.ParseURL(c.redis)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: -redis: %v", errUsage, err)
		}
		rdb = redis.NewClient(ro)
		a, err := redisallowance.New(rdb, "cloudinary-people:allowance:"+cloud)
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
		return nil, nil, err
	}
	return client, func() {
		client.Close()
		if rdb != nil {
			rdb.Close()
		}
	}, nil
}
