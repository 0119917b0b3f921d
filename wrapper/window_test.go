package wrapper

// The window's own rules, tested on the window: its bookkeeping is private,
// and these tests hold it to what LocalAllowance's behaviour relies on.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWindowRules(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 30, 0, 0, time.UTC)
	hourEnd := time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC)
	rl := func(remaining int, reset time.Time) RateLimit {
		return RateLimit{Limit: 100, Remaining: remaining, Reset: reset}
	}
	known := func(remaining int, reset time.Time) window {
		return window{Known: true, Limit: 100, Remaining: remaining, Reset: reset}
	}
	tests := []struct {
		name    string
		start   window
		observe RateLimit
		usedUp  bool
		want    window
	}{
		{"nothing known: the answer is taken", window{}, rl(40, hourEnd), false, known(40, hourEnd)},
		{"nothing known: calls granted blind and not yet answered are taken off",
			window{Blind: 3}, rl(40, hourEnd), false, known(38, hourEnd)},
		{"the same hour: the lower count wins", known(30, hourEnd), rl(40, hourEnd), false, known(30, hourEnd)},
		{"the same hour: the server's lower count wins", known(30, hourEnd), rl(20, hourEnd), false, known(20, hourEnd)},
		{"a later hour replaces the count", known(3, hourEnd), rl(99, hourEnd.Add(20*time.Minute)), false, known(99, hourEnd.Add(20*time.Minute))},
		{"a late answer of an earlier hour is ignored", known(3, hourEnd), rl(99, hourEnd.Add(-time.Hour)), false, known(3, hourEnd)},
		{"an unreadable Remaining says nothing", known(3, hourEnd), rl(0, hourEnd.Add(time.Hour)), false, known(3, hourEnd)},
		{"used up with a reset already past starts a new hour", known(3, hourEnd), rl(0, now.Add(-time.Second)), true,
			window{Known: true, Limit: 100, Remaining: 100, Ended: now.Add(-time.Second)}},
		{"a late used-up answer of an hour already ended leaves the new hour's count",
			window{Known: true, Limit: 100, Remaining: 90, Ended: now.Add(-time.Second)}, rl(0, now.Add(-time.Second)), true,
			window{Known: true, Limit: 100, Remaining: 90, Ended: now.Add(-time.Second)}},
		{"a server that ends a spent hour twice in one second starts a new one each time",
			window{Known: true, Limit: 100, Remaining: 1, Reset: hourEnd, Ended: now.Add(-time.Second)}, rl(0, now.Add(-time.Second)), true,
			window{Known: true, Limit: 100, Remaining: 100, Ended: now.Add(-time.Second)}},
		{"a new hour of unknown end keeps the lower count", known(50, time.Time{}), rl(70, hourEnd), false, known(50, hourEnd)},
		{"a reset years away is cut to an hour", window{}, rl(0, now.AddDate(70, 0, 0)), true,
			window{Known: true, Limit: 100, Reset: now.Add(time.Hour), Said: now.AddDate(70, 0, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.start
			w.observe(tt.observe, tt.usedUp, now)
			assert.Equal(t, tt.want, w)
		})
	}

	takes := []struct {
		name    string
		start   window
		reserve int
		granted bool
		after   int
	}{
		{"nothing known grants, and counts the call as blind", window{}, 5, true, 0},
		{"more than the reserve left grants and counts", known(6, hourEnd), 5, true, 5},
		{"the reserve left refuses", known(5, hourEnd), 5, false, 5},
		{"none left refuses", known(0, hourEnd), 0, false, 0},
		{"a passed reset starts the hour again from the limit", known(0, now.Add(-time.Minute)), 0, true, 99},
	}
	for _, tt := range takes {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.start
			c := w.take(tt.reserve, now)
			assert.Equal(t, tt.granted, c.Granted)
			assert.Equal(t, tt.after, w.Remaining)
			if !c.Granted {
				assert.Equal(t, hourEnd, c.Until)
			}
		})
	}
}

func TestAnHourStartedShortByCarriedCallsNeverLocks(t *testing.T) {
	reset := time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC)
	rl := func(remaining int, reset time.Time) RateLimit {
		return RateLimit{Limit: 10, Remaining: remaining, Reset: reset}
	}
	// Every call of the hour is granted just before its end: each may
	// count in the next hour, which therefore starts with none left.
	spent := func() *window {
		w := &window{Known: true, Limit: 10, Remaining: 10, Reset: reset}
		for range 10 {
			require.True(t, w.take(0, reset.Add(-100*time.Millisecond)).Granted)
		}
		c := w.take(0, reset.Add(10*time.Millisecond))
		require.False(t, c.Granted, "the carried calls may all count in the new hour")
		return w
	}
	t.Run("refused until the longest hour is over, not looked at again and refused for ever", func(t *testing.T) {
		w := spent()
		c := w.take(0, reset.Add(time.Minute))
		assert.False(t, c.Granted)
		assert.Equal(t, reset.Add(time.Hour), c.Until)
		assert.True(t, w.take(0, reset.Add(time.Hour)).Granted, "an hour later the count starts afresh")
		assert.Equal(t, 9, w.Remaining)
	})
	t.Run("an answer of the hour that ended gives a carried call back", func(t *testing.T) {
		w := spent()
		w.observe(rl(4, reset), false, reset.Add(20*time.Millisecond))
		assert.Equal(t, 1, w.Remaining)
		assert.Equal(t, 9, w.Carried)
		assert.True(t, w.take(0, reset.Add(30*time.Millisecond)).Granted)
	})
	t.Run("calls answered before the hour ended carry nothing over", func(t *testing.T) {
		w := &window{Known: true, Limit: 10, Remaining: 10, Reset: reset}
		for i := range 10 {
			at := reset.Add(-100 * time.Millisecond)
			require.True(t, w.take(0, at).Granted)
			w.observe(rl(9-i, reset), i == 9, at.Add(time.Millisecond))
		}
		c := w.take(0, reset.Add(10*time.Millisecond))
		assert.True(t, c.Granted, "the new hour has its whole allowance")
		assert.Equal(t, 9, w.Remaining)
	})
	t.Run("an answer of the new hour names its end", func(t *testing.T) {
		w := spent()
		next := reset.Add(time.Hour)
		w.observe(rl(9, next), false, reset.Add(20*time.Millisecond))
		c := w.take(0, reset.Add(30*time.Millisecond))
		assert.False(t, c.Granted)
		assert.Equal(t, next, c.Until)
		assert.Zero(t, w.Carried, "the server's count now includes whatever landed")
	})
}
