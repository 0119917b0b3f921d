package testkit

import "time"

// HourNotEndingSoon returns the length, in whole minutes and at least an
// hour, of a fake "hour" (peopletest.WithHourlyLimit, peoplemock -hour)
// that will not end within margin of now. Those hours start at multiples
// of their length since the Unix epoch, as the API's start on the hour, so
// a test that counts on one hour throughout would fail whenever it
// happened to run in the last seconds of a real hour: the allowance would
// reset under it, or a client would wait for a reset a few seconds away.
func HourNotEndingSoon(now time.Time, margin time.Duration) time.Duration {
	for hour := time.Hour; ; hour += time.Minute {
		into := time.Duration(now.UnixNano() % int64(hour))
		if hour-into > margin {
			return hour
		}
	}
}
