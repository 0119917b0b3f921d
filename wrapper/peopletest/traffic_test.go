package peopletest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestResetClearsTheListsButNotTheTotals(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?max_results=500", "")
	call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	require.Len(t, s.ContractErrors(), 1)
	s.Reset()
	assert.Zero(t, s.RequestCount())
	assert.Empty(t, s.ContractErrors())
	assert.Empty(t, s.Violations())
	assert.Empty(t, s.Requests())
	assert.Equal(t, peopletest.Totals{Calls: 2, Violations: 1}, s.Totals())
}

func TestACallInFlightDuringAResetAddsNothingToTheNewLists(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	overPipe(t, s, func(t *testing.T, hc *http.Client, base string) {
		s.InjectFault(1, peopletest.Fault{Delay: 300 * time.Millisecond, Body: `{"people":7}`})
		done := make(chan struct{})
		go func() {
			defer close(done)
			requestWith(t, hc, http.MethodGet, base+"/v1_1/"+s.CloudName+"/people", "")
		}()
		// In the bubble this wakes only once the call waits out its delay.
		time.Sleep(100 * time.Millisecond)
		s.Reset()
		<-done
	})
	assert.Empty(t, s.ContractErrors(), "the violation belongs to before the reset")
	assert.Equal(t, 1, s.Totals().Violations)
}

func TestTheLogIsBounded(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	t.Run("a large body is kept in part", func(t *testing.T) {
		big := `{"inspections":{"Person":{"items":{"a":"` + strings.Repeat("x", 1<<20) + `"},"actions":{"read":{}}}}}`
		call(t, s, http.MethodPost, "/v1_1/"+s.CloudName+"/people/inspect", big, "Content-Type", "application/json")
		reqs := s.Requests()
		require.Len(t, reqs, 1)
		assert.LessOrEqual(t, len(reqs[0].Body), 64<<10)
		assert.True(t, reqs[0].BodyTruncated)
	})
}

func TestRecordedRequestsHideCredentials(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	const secret = "TOP-secret-value-42"
	for _, tc := range []struct {
		name, header, value, want string
	}{
		{"Basic", "Authorization", "Basic " + secret, "Basic [redacted]"},
		{"no scheme", "Authorization", secret, "[redacted]"},
		{"Bearer with a tab", "Authorization", "Bearer\t" + secret, "[redacted]"},
		{"an unknown scheme", "Authorization", secret + " x", "[redacted]"},
		{"Cookie", "Cookie", "session=" + secret, "[redacted]"},
		{"X-Api-Key", "X-Api-Key", secret, "[redacted]"},
		{"Proxy-Authorization", "Proxy-Authorization", "Basic " + secret, "Basic [redacted]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := peopletest.Request{Header: http.Header{http.CanonicalHeaderKey(tc.header): {tc.value}}}
			got := r.Redacted()
			assert.Equal(t, []string{tc.want}, got.Header[http.CanonicalHeaderKey(tc.header)])
			b, err := json.Marshal(got)
			require.NoError(t, err)
			assert.NotContains(t, string(b), secret)
		})
	}
	t.Run("query parameters", func(t *testing.T) {
		r := peopletest.Request{Query: map[string][]string{"api_secret": {secret}, "oauth_token": {secret}, "access_token": {secret}, "max_results": {"5"}}}
		got := r.Redacted()
		b, err := json.Marshal(got)
		require.NoError(t, err)
		assert.NotContains(t, string(b), secret)
		assert.Equal(t, []string{"5"}, got.Query["max_results"])
	})
	t.Run("in the Go API's log", func(t *testing.T) {
		s := quietServer(t)
		call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?api_secret="+secret, "", "X-Api-Key", secret)
		reqs := s.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "Basic [redacted]", reqs[0].Header.Get("Authorization"))
		b, err := json.Marshal(reqs)
		require.NoError(t, err)
		assert.NotContains(t, string(b), secret)
		assert.NotContains(t, string(b), s.APISecret)
	})
	t.Run("through the control API", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithControlAPI(), peopletest.OnViolation(func(*peopletest.ContractError) {}))
		_, err := s.Client().ListPeople(ctx, wrapper.ListOptions{})
		require.NoError(t, err)
		call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?api_secret="+secret, "", "Cookie", "a="+secret, "X-Api-Key", secret)
		_, body := call(t, s, http.MethodGet, "/_peoplemock/requests", "")
		assert.NotContains(t, body, secret)
		assert.NotContains(t, body, s.APISecret)
	})
}

// Totals counts each distinct drift finding once, also past the 100,000
// it remembers exactly: new ones go on counting, repeats are not counted
// again.
func TestTheFakesOwnSecretIsNeverRecordedWhereverItTravels(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithControlAPI(), peopletest.OnViolation(func(*peopletest.ContractError) {}))
	list := "/v1_1/" + s.CloudName + "/people"
	call(t, s, http.MethodGet, list+"?sig="+s.APISecret+"&api_sig=x", "",
		"X-Api-Pass", s.APISecret, "X-Note", "my secret is "+s.APISecret,
		"Referer", "https://"+s.APIKey+":"+url.QueryEscape(s.APISecret)+"@example.com/")
	_, body := call(t, s, http.MethodGet, "/_peoplemock/requests", "")
	assert.NotContains(t, body, s.APISecret)
	assert.NotContains(t, body, url.QueryEscape(s.APISecret))
	assert.Contains(t, body, "[redacted]")
	for _, r := range s.Requests() {
		for _, vs := range r.Header {
			for _, v := range vs {
				assert.NotContains(t, v, s.APISecret)
			}
		}
	}
}

func TestRedactionByNameCoversTheUsualSpellings(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.OnViolation(func(*peopletest.ContractError) {}))
	const value = "v4lue-that-is-private"
	headers := []string{"X-Api-Pass", "X-Api-Pwd", "X-Cld-Sig", "X-Private", "X-Access"}
	var args []string
	for _, h := range headers {
		args = append(args, h, value)
	}
	call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?sig="+value+"&api_sig="+value+"&pass="+value+"&access="+value, "", args...)
	r := s.Requests()[0]
	for _, h := range headers {
		assert.Equal(t, []string{"[redacted]"}, r.Header.Values(h), h)
	}
	for _, q := range []string{"sig", "api_sig", "pass", "access"} {
		assert.Equal(t, []string{"[redacted]"}, r.Query[q], q)
	}
}

func TestTheRequestLogBoundsHeadersQueryAndPath(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	huge := strings.Repeat("h", 256<<10)
	call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?name_prefix="+strings.Repeat("q", 256<<10), "", "X-Big", huge)
	r := s.Requests()[0]
	assert.Less(t, len(r.Header.Get("X-Big")), 2<<10)
	assert.Less(t, len(r.Query.Get("name_prefix")), 2<<10)
}
