package peopletest_test

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestTheControlAPIRefusesFaultsThatDoNothingOrCannotBeAnswered(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithControlAPI())
	for _, body := range []string{
		`{}`,
		`{"status":0}`,
		`null`,
		`[]`,
		`{"delay":1e300}`,
		`{"delay":"-5s"}`,
		`{"status":101}`,
		`{"status":100}`,
		`{"status":503,"retry_after":9223372036}`,
		`{"Status":429,"RetryAfter":1500000000}`,
		`{"status":503,"retry_after":-1}`,
		`{"count":1,"Count":5,"status":503}`,
		`{"status":503} and more`,
		`{"status":503}{"status":500}`,
		`{"message":"no status"}`,
		`{"content_type":"text/plain"}`,
		`{"drop_connection":true,"status":503}`,
		`{"status":503,"count":-1}`,
		`{"stauts":503}`,
	} {
		t.Run(body, func(t *testing.T) {
			resp, answer := call(t, s, http.MethodPost, "/_peoplemock/faults", body)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, answer)
			assert.Contains(t, answer, "fault: ")
		})
	}
	for _, body := range []string{
		`{"status":503}`,
		`{"delay":"10ms"}`,
		`{"drop_connection":true}`,
		`{"cut_body":true}`,
		`{"body":"{}","content_type":"application/json"}`,
		`{"Status":429,"RetryAfter":1.5}`,
	} {
		t.Run(body, func(t *testing.T) {
			resp, answer := call(t, s, http.MethodPost, "/_peoplemock/faults", body)
			assert.Equal(t, http.StatusCreated, resp.StatusCode, answer)
		})
	}
}

func TestAHugeRetryAfterStaysPositive(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	s.InjectFault(1, peopletest.Fault{Status: 429, RetryAfter: time.Duration(math.MaxInt64)})
	resp, _ := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	assert.Equal(t, "9223372037", resp.Header.Get("Retry-After"))
}

func TestTheControlAPIRefusesAKeyGivenTwice(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithControlAPI())
	for _, body := range []string{
		`{"status":503,"status":500}`,
		`{"status":503,"count":2,"count":9}`,
	} {
		t.Run(body, func(t *testing.T) {
			resp, answer := call(t, s, http.MethodPost, "/_peoplemock/faults", body)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, answer)
			assert.Contains(t, answer, "given twice")
		})
	}
	resp, _ := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "nothing was queued")
}

func TestTheControlAPISpeaksJSONNotGo(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithControlAPI())
	for body, want := range map[string]string{
		`{"status":"503"}`:        "status: want a whole number, got a JSON string",
		`{"status":nope}`:         "not valid JSON at byte",
		`{"html":1,"status":503}`: "html: want true or false, got a JSON number",
		`{"status":503`:           "the JSON ends too soon",
	} {
		t.Run(body, func(t *testing.T) {
			resp, answer := call(t, s, http.MethodPost, "/_peoplemock/faults", body)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Contains(t, answer, want)
			assert.NotContains(t, answer, "Go value")
			assert.NotContains(t, answer, "literal")
		})
	}
}
