package peopletest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestWithHourlyLimitRefusesPastTheAllowanceUntilTheHourEnds(t *testing.T) {
	t.Parallel()
	const hour = time.Second
	s := peopletest.NewServer(t, peopletest.WithHourlyLimit(3, hour))
	path := "/v1_1/" + s.CloudName + "/people"
	var (
		allowed            []*http.Response
		refused, other     *http.Response
		body               string
		afterReset, before time.Time
		nextHour           *http.Response
	)
	// In a bubble, whose clock starts on the hour, the fake is reached over
	// in-memory connections and the wait for the next hour takes no time.
	overPipe(t, s, func(t *testing.T, hc *http.Client, base string) {
		for range 3 {
			resp, _ := requestWith(t, hc, "GET", base+path, "")
			allowed = append(allowed, resp)
		}
		refused, body = requestWith(t, hc, "GET", base+path, "")
		other, _ = requestWith(t, hc, "GET", base+path+"?max_results=5", "")
		before = time.Now()
		reset, err := http.ParseTime(refused.Header.Get("X-FeatureRateLimit-Reset"))
		require.NoError(t, err)
		time.Sleep(time.Until(reset))
		afterReset = time.Now()
		nextHour, _ = requestWith(t, hc, "GET", base+path, "")
	})
	t.Run("calls within the allowance count it down", func(t *testing.T) {
		for i, resp := range allowed {
			assert.Equal(t, http.StatusOK, resp.StatusCode, "call %d", i+1)
			assert.Equal(t, strconv.Itoa(2-i), resp.Header.Get("X-FeatureRateLimit-Remaining"))
		}
	})
	t.Run("past the allowance a call gets 420 with the reset", func(t *testing.T) {
		assert.Equal(t, 420, refused.StatusCode, body)
		assert.Equal(t, "0", refused.Header.Get("X-FeatureRateLimit-Remaining"))
		assert.Equal(t, "3", refused.Header.Get("X-FeatureRateLimit-Limit"))
		assert.Equal(t, allowed[2].Header.Get("X-FeatureRateLimit-Reset"), refused.Header.Get("X-FeatureRateLimit-Reset"))
		secs, err := strconv.Atoi(refused.Header.Get("Retry-After"))
		require.NoError(t, err)
		assert.Equal(t, 1, secs, "whole seconds, rounded up")
	})
	t.Run("hours end on multiples of the hour since the Unix epoch", func(t *testing.T) {
		reset, err := http.ParseTime(refused.Header.Get("X-FeatureRateLimit-Reset"))
		require.NoError(t, err)
		assert.Zero(t, reset.UnixNano()%int64(hour))
		assert.True(t, reset.After(before))
	})
	t.Run("the allowance is the server's, whoever calls", func(t *testing.T) {
		assert.Equal(t, 420, other.StatusCode)
	})
	t.Run("each recorded request carries the status it was answered", func(t *testing.T) {
		var got []int
		for _, r := range s.Requests() {
			got = append(got, r.Status)
		}
		assert.Equal(t, []int{200, 200, 200, 420, 420, 200}, got)
	})
	t.Run("a new hour brings the allowance back", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, nextHour.StatusCode)
		assert.Equal(t, "2", nextHour.Header.Get("X-FeatureRateLimit-Remaining"))
		assert.Equal(t, hour, afterReset.Sub(before).Round(hour), "no longer than the hour's end")
	})
}

func TestTheControlAPIShowsEachRequestsStatus(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithControlAPI())
	call(t, s, "GET", "/v1_1/"+s.CloudName+"/people/nobody", "")
	call(t, s, "GET", "/v1_1/"+s.CloudName+"/people", "")
	_, body := request(t, "GET", s.URL+"/_peoplemock/requests", "")
	var reqs []peopletest.RecordedRequest
	require.NoError(t, json.Unmarshal([]byte(body), &reqs))
	require.Len(t, reqs, 2)
	assert.Equal(t, 404, reqs[0].Status)
	assert.Equal(t, 200, reqs[1].Status)
	assert.Contains(t, body, `"status": 404`)
}
