package testkit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestHourNotEndingSoon(t *testing.T) {
	cases := map[string]time.Time{
		"at the start of an hour":     time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC),
		"mid-hour":                    time.Date(2026, 12, 3, 13, 30, 0, 0, time.UTC),
		"seconds before the hour":     time.Date(2026, 12, 3, 13, 59, 57, 0, time.UTC),
		"a minute before midnight":    time.Date(2026, 12, 3, 23, 59, 0, 0, time.UTC),
		"in a time zone of half-hour": time.Date(2026, 12, 3, 13, 59, 58, 0, time.FixedZone("IST", 5*3600+1800)),
	}
	for name, now := range cases {
		t.Run(name, func(t *testing.T) {
			hour := HourNotEndingSoon(now, 10*time.Minute)
			assert.GreaterOrEqual(t, hour, time.Hour)
			assert.Zero(t, hour%time.Minute, "whole minutes, as peoplemock's -hour wants whole seconds")
			start := now.UnixNano() - now.UnixNano()%int64(hour)
			end := time.Unix(0, start).Add(hour)
			assert.Greater(t, end.Sub(now), 10*time.Minute)
		})
	}
}
