// Package redisallowance keeps one hourly allowance of the People API in
// Redis, for every Client of an account in every process on every
// machine: pass [New]'s result to wrapper.WithAllowance.
//
// Redis runs the allowance's rule itself, the one wrapper.LocalAllowance
// keeps in memory, in a Lua script: each Take and each Observe is one
// atomic round trip, so that processes together never take more calls in
// an hour than its limit less the reserve, however many race. The hour is
// read on Redis's own clock (TIME), so workers whose clocks disagree
// still agree on when an hour ends. No call is leased: a process that
// dies leaves nothing to release, and the key expires a day after its
// last use. This package is the only one that imports go-redis; a program
// that imports wrapper alone has no Redis module in its go.mod.
package redisallowance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// TTL is how long the key outlives its last use: long enough that a job
// started the next hour begins from the last known limit, short enough
// that an abandoned key goes away.
const TTL = 24 * time.Hour

// keyVersion names the format of the stored count: a count of another
// format is never read as this one.
const keyVersion = ":v2"

// The rule's constants, as wrapper's allowance has them.
const (
	longestHour       = time.Hour
	straddleMargin    = 500 * time.Millisecond
	opTake, opObserve = "take", "observe"
)

// Allowance is a wrapper.Allowance kept in Redis.
type Allowance struct {
	rdb redis.Scripter
	key string
}

// New returns an Allowance kept under key (with a version suffix). Use one
// key per Cloudinary account (its allowance is the account's), for example
// "cloudinary-people:allowance:<cloud name>".
func New(rdb redis.UniversalClient, key string) (*Allowance, error) {
	if rdb == nil {
		return nil, errors.New("redisallowance: nil Redis client")
	}
	if key == "" {
		return nil, errors.New("redisallowance: empty key")
	}
	return &Allowance{rdb: rdb, key: key + keyVersion}, nil
}

// Take implements wrapper.Allowance. The time to try again comes back on
// the caller's clock: now, plus how far it is on Redis's.
func (a *Allowance) Take(ctx context.Context, reserve int, now time.Time) (wrapper.Claim, error) {
	r, err := a.run(ctx, opTake, reserve, wrapper.RateLimit{}, false)
	if err != nil {
		return wrapper.Claim{}, err
	}
	c := wrapper.Claim{Granted: r[0] == 1, Limit: int(r[2]), Remaining: int(r[3])}
	redisNow := time.UnixMilli(r[5])
	if r[1] != 0 {
		c.Until = now.Add(time.UnixMilli(r[1]).Sub(redisNow))
	}
	if r[4] != 0 {
		c.Said = time.UnixMilli(r[4])
	}
	return c, nil
}

// Observe implements wrapper.Allowance, on Redis's clock as Take is.
func (a *Allowance) Observe(ctx context.Context, rl wrapper.RateLimit, usedUp bool, _ time.Time) error {
	_, err := a.run(ctx, opObserve, 0, rl, usedUp)
	return err
}

// run runs the script once and reads its six numbers.
func (a *Allowance) run(ctx context.Context, op string, reserve int, rl wrapper.RateLimit, usedUp bool) ([6]int64, error) {
	var out [6]int64
	var reset int64
	if !rl.Reset.IsZero() {
		reset = rl.Reset.UnixMilli()
	}
	args := []any{op, reserve, rl.Limit, rl.Remaining, reset, boolArg(usedUp),
		longestHour.Milliseconds(), straddleMargin.Milliseconds(), TTL.Milliseconds()}
	res, err := script.Run(ctx, a.rdb, []string{a.key}, args...).Int64Slice()
	if err != nil {
		return out, fmt.Errorf("redisallowance: %w", err)
	}
	if len(res) != len(out) {
		return out, fmt.Errorf("redisallowance: the script answered %d numbers, not %d", len(res), len(out))
	}
	copy(out[:], res)
	return out, nil
}

// boolArg is b as the script reads it.
func boolArg(b bool) string {
	if b {
		return "t"
	}
	return "f"
}
