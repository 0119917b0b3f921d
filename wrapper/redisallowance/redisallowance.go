// Package redisallowance keeps one hourly allowance of the People API in
// Redis, for every Client of an account in every process on every
// machine: pass [New]'s result to wrapper.WithAllowance.
//
// The count lives under one key as a wrapper.Window, the rule the
// in-memory allowance follows too, so both behave alike. Each Take and
// Observe reads, changes and writes it in one optimistic transaction
// (WATCH, then MULTI/EXEC, tried again when another process wrote in
// between), so that processes together never take more calls in an hour
// than its limit less the reserve. The hour is read on Redis's own clock
// (TIME), so workers whose clocks disagree still agree on when an hour
// ends. No call is leased: a process that dies
// leaves nothing to release, and the key expires a day after its last
// use. This package is the only one that imports go-redis; a program that
// imports wrapper alone has no Redis module in its go.mod.
package redisallowance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// TTL is how long the key outlives its last use: long enough that a job
// started the next hour begins from the last known limit, short enough
// that an abandoned key goes away.
const TTL = 24 * time.Hour

// maxTries bounds the optimistic retries of one Take or Observe when other
// processes keep writing the key.
const maxTries = 100

// Allowance is a wrapper.Allowance kept in Redis.
type Allowance struct {
	rdb redis.UniversalClient
	key string
}

// New returns an Allowance kept under key. Use one key per Cloudinary
// account (its allowance is the account's), for example
// "cloudinary-people:allowance:<cloud name>".
func New(rdb redis.UniversalClient, key string) (*Allowance, error) {
	if rdb == nil {
		return nil, errors.New("redisallowance: nil Redis client")
	}
	if key == "" {
		return nil, errors.New("redisallowance: empty key")
	}
	return &Allowance{rdb: rdb, key: key}, nil
}

// Take implements wrapper.Allowance. The hour is read on Redis's clock,
// not now: a process whose clock runs ahead would otherwise start the
// next hour early for every process sharing the key. The time to try
// again comes back on the caller's clock.
func (a *Allowance) Take(ctx context.Context, reserve int, now time.Time) (wrapper.Claim, error) {
	var c wrapper.Claim
	err := a.update(ctx, func(w *wrapper.Window, shared time.Time) {
		c = w.Take(reserve, shared)
		if !c.Until.IsZero() {
			c.Until = now.Add(c.Until.Sub(shared))
		}
	})
	return c, err
}

// Observe implements wrapper.Allowance, on Redis's clock as Take is.
func (a *Allowance) Observe(ctx context.Context, rl wrapper.RateLimit, usedUp bool, _ time.Time) error {
	return a.update(ctx, func(w *wrapper.Window, shared time.Time) { w.Observe(rl, usedUp, shared) })
}

// Window returns the allowance as Redis holds it now.
func (a *Allowance) Window(ctx context.Context) (wrapper.Window, error) {
	var w wrapper.Window
	raw, err := a.rdb.Get(ctx, a.key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return w, nil
	case err != nil:
		return w, fmt.Errorf("redisallowance: %w", err)
	}
	// A value that does not decode (another program's, an older format)
	// counts as nothing known: the next answer sets it right.
	_ = json.Unmarshal(raw, &w)
	return w, nil
}

// update applies change to the window atomically, at Redis's time.
func (a *Allowance) update(ctx context.Context, change func(w *wrapper.Window, shared time.Time)) error {
	for try := 0; try < maxTries; try++ {
		err := a.rdb.Watch(ctx, func(tx *redis.Tx) error {
			var w wrapper.Window
			raw, err := tx.Get(ctx, a.key).Bytes()
			if err != nil && !errors.Is(err, redis.Nil) {
				return err
			}
			_ = json.Unmarshal(raw, &w)
			shared, err := tx.Time(ctx).Result()
			if err != nil {
				return err
			}
			change(&w, shared)
			data, err := json.Marshal(w)
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, a.key, data, TTL)
				return nil
			})
			return err
		}, a.key)
		if !errors.Is(err, redis.TxFailedErr) {
			if err != nil {
				return fmt.Errorf("redisallowance: %w", err)
			}
			return nil
		}
		// Another process wrote in between: try again after a moment, at
		// a jittered time so that contenders spread out.
		t := time.NewTimer(time.Duration(rand.N(int64(time.Millisecond) << min(try, 5))))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("redisallowance: %w", ctx.Err())
		case <-t.C:
		}
	}
	return fmt.Errorf("redisallowance: other processes kept writing %q; gave up after %d tries", a.key, maxTries)
}
