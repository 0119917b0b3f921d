package wrapper_test

import (
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestEachStatusMatchesItsSentinel(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	sentinels := []error{wrapper.ErrValidation, wrapper.ErrAuthentication, wrapper.ErrFeatureNotEnabled,
		wrapper.ErrNotFound, wrapper.ErrRateLimited, wrapper.ErrServer}
	cases := []struct {
		status int
		want   error
	}{
		{400, wrapper.ErrValidation}, {401, wrapper.ErrAuthentication}, {403, wrapper.ErrFeatureNotEnabled},
		{404, wrapper.ErrNotFound}, {420, wrapper.ErrRateLimited}, {429, wrapper.ErrRateLimited},
		{500, wrapper.ErrServer}, {502, wrapper.ErrServer}, {503, wrapper.ErrServer}, {504, wrapper.ErrServer},
	}
	for _, tc := range cases {
		t.Run("HTTP "+strconv.Itoa(tc.status), func(t *testing.T) {
			srv := newServer(t, jsonBody(tc.status, `{"error":{"message":"boom-`+strconv.Itoa(tc.status)+`"}}`,
				"X-FeatureRateLimit-Limit", "500", "X-FeatureRateLimit-Remaining", "7", "X-FeatureRateLimit-Reset", "Wed, 03 Oct 2012 08:00:00 GMT"))
			_, err := srv.client(t, wrapper.WithMaxRetries(0)).GetPerson(ctx, "p1")
			for _, s := range sentinels {
				if s == tc.want {
					assert.ErrorIs(t, err, s)
				} else {
					assert.NotErrorIs(t, err, s)
				}
			}
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, "boom-"+strconv.Itoa(tc.status), apiErr.Message)
			assert.Contains(t, string(apiErr.Body), "boom")
			assert.Equal(t, 500, apiErr.RateLimit.Limit)
			assert.Equal(t, 7, apiErr.RateLimit.Remaining)
			assert.True(t, apiErr.RateLimit.Reset.Equal(time.Date(2012, 10, 3, 8, 0, 0, 0, time.UTC)), "Reset = %v", apiErr.RateLimit.Reset)
			assert.ErrorContains(t, err, "boom")
			assert.ErrorContains(t, err, strconv.Itoa(tc.status))
		})
	}
}

func TestErrorMessagesForBodiesWithoutOne(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"HTML from a proxy", respond(502, "text/html", "<html><body>Bad Gateway</body></html>"), "Bad Gateway (HTML body"},
		{"empty body", respond(503, "", ""), "Service Unavailable (empty body)"},
		{"JSON without message", jsonBody(500, `{"oops":true}`), "Internal Server Error (no error message"},
		{"Cloudinary's 420", respond(420, "text/plain", ""), "Rate limited (empty body)"},
		{"unknown status", respond(418, "text/plain", "short and stout"), "I'm a teapot (no error message"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.handler)
			_, err := srv.client(t, wrapper.WithMaxRetries(0)).GetPerson(ctx, "p1")
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.True(t, strings.HasPrefix(apiErr.Message, tc.want), "message %q, want it to start %q", apiErr.Message, tc.want)
		})
	}
}

func TestFakeServerFaultsMapToSentinels(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client(wrapper.WithMaxRetries(0))
	id := s.People()[0].ID
	for _, tc := range []struct {
		status int
		want   error
	}{{401, wrapper.ErrAuthentication}, {403, wrapper.ErrFeatureNotEnabled}, {420, wrapper.ErrRateLimited}, {429, wrapper.ErrRateLimited}, {500, wrapper.ErrServer}} {
		t.Run("fault "+strconv.Itoa(tc.status), func(t *testing.T) {
			s.FailNext(1, tc.status)
			_, err := c.GetPerson(ctx, id)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	t.Run("HTML 503", func(t *testing.T) {
		s.InjectFault(1, peopletest.Fault{Status: 503, HTML: true})
		_, err := c.GetPerson(ctx, id)
		assert.ErrorIs(t, err, wrapper.ErrServer)
		assert.ErrorContains(t, err, "HTML")
	})
	t.Run("wrong secret", func(t *testing.T) {
		wrong := peopletest.NewServer(t, peopletest.WithCredentials(s.CloudName, s.APIKey, "another-secret"))
		_, err := wrong.Client(wrapper.WithAPISecret("bad")).GetPerson(ctx, id)
		assert.ErrorIs(t, err, wrapper.ErrAuthentication)
	})
}

func TestNetworkErrorsWrapErrNetworkAndTheirCause(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret(testSecret),
		wrapper.WithBaseURL("http://"+addr), wrapper.WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c.GetPerson(ctx, "p1")
	assert.ErrorIs(t, err, wrapper.ErrNetwork)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	var apiErr *wrapper.APIError
	assert.NotErrorAs(t, err, &apiErr, "a network error must not look like an API answer")
	assert.NotContains(t, err.Error(), testSecret)
}

func TestContextErrorsStayVisible(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	t.Run("deadline", func(t *testing.T) {
		s.InjectFault(1, peopletest.Fault{Delay: 2 * time.Second})
		dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.ListPeople(dctx, wrapper.ListOptions{})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), time.Second, "the deadline was 100ms")
	})
	t.Run("cancellation", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.GetPerson(cctx, "p1")
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestRedirectsDoNotCarryCredentials(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	elsewhere := newServer(t, jsonBody(200, onePerson))
	origin := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		// localhost vs 127.0.0.1: a different host, as an attacker's would be.
		target := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1) + r.URL.Path
		http.Redirect(w, r, target, http.StatusFound)
	})
	_, err := origin.client(t).GetPerson(ctx, "p1")
	for _, c := range elsewhere.Calls() {
		require.Empty(t, c.Header.Get("Authorization"), "the redirect target received credentials")
	}
	var apiErr *wrapper.APIError
	require.ErrorAs(t, err, &apiErr, "the 302 is reported as an APIError")
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
}

func TestErrorsSayHowManyAttemptsWereMade(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	t.Run("a status that stayed after retries", func(t *testing.T) {
		srv := newServer(t, jsonBody(503, `{"error":{"message":"Service Unavailable"}}`))
		_, err := srv.client(t, wrapper.WithMaxRetries(2)).GetPerson(ctx, "p1")
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 3, apiErr.Attempts)
		assert.Contains(t, err.Error(), "HTTP 503: Service Unavailable (after 3 attempts)")
	})
	t.Run("a single attempt says nothing about attempts", func(t *testing.T) {
		srv := newServer(t, jsonBody(404, `{"error":{"message":"Can't find Person with id p1"}}`))
		_, err := srv.client(t).GetPerson(ctx, "p1")
		require.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.NotContains(t, err.Error(), "attempt")
	})
	t.Run("a network failure after retries", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		l.Close() // nothing listens there now: every attempt is refused
		c, err := wrapper.New(wrapper.WithCloudName(testCloud), wrapper.WithAPIKey(testKey), wrapper.WithAPISecret(testSecret),
			wrapper.WithBaseURL("http://"+addr), wrapper.WithMaxRetries(2))
		require.NoError(t, err)
		_, err = c.GetPerson(ctx, "p1")
		require.ErrorIs(t, err, wrapper.ErrNetwork)
		assert.Contains(t, err.Error(), "(after 3 attempts)")
	})
}

func TestErrorsSayWhatHappened(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	t.Run("a cut-off 404 is still a 404", func(t *testing.T) {
		s := peopletest.NewServer(t)
		s.InjectFault(5, peopletest.Fault{CutBody: true})
		_, err := s.Client(wrapper.WithMaxRetries(3)).GetPerson(ctx, "no-such-person")
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.NotErrorIs(t, err, wrapper.ErrNetwork)
		assert.NotEmpty(t, apiErr.Body, "the part of the body that arrived")
		assert.True(t, strings.HasPrefix(`{"error":{"message":"Can't find Person with id no-such-person"}}`, string(apiErr.Body)), "body %q", apiErr.Body)
		assert.Equal(t, 1, s.RequestCount(), "a 404 is not retried")
	})
	t.Run("a same-host redirect loop", func(t *testing.T) {
		for name, target := range map[string]func(r *http.Request) string{
			"to itself": func(r *http.Request) string { return r.URL.Path },
			"back and forth": func(r *http.Request) string {
				if strings.HasSuffix(r.URL.Path, "/b") {
					return strings.TrimSuffix(r.URL.Path, "/b")
				}
				return r.URL.Path + "/b"
			},
		} {
			t.Run(name, func(t *testing.T) {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, target(r), http.StatusFound)
				})
				_, err := srv.client(t).GetPerson(ctx, "p1")
				assert.ErrorIs(t, err, wrapper.ErrRedirectLoop)
				assert.ErrorContains(t, err, "redirect loop")
				assert.NotErrorIs(t, err, wrapper.ErrNetwork)
				assert.LessOrEqual(t, len(srv.Calls()), 11)
			})
		}
	})
	t.Run("control characters in a server message are escaped", func(t *testing.T) {
		var logs testkit.SyncBuffer
		srv := newServer(t, jsonBody(400, `{"error":{"message":"bad\nFAKE LOG LINE level=ERROR\u001b[31m red\u0000"}}`))
		_, err := srv.client(t, wrapper.WithLogger(debugLogger(&logs))).GetPerson(ctx, "p1")
		require.Error(t, err)
		for _, out := range []string{err.Error(), logs.String()} {
			assert.NotContains(t, out, "\x1b")
			assert.NotContains(t, out, "\x00")
		}
		assert.NotContains(t, err.Error(), "\n")
		assert.Contains(t, err.Error(), `bad\nFAKE LOG LINE`)
		assert.Contains(t, err.Error(), `\x1b[31m`)
	})
	t.Run("the people: prefix appears once", func(t *testing.T) {
		closed := newServer(t, jsonBody(200, `{}`))
		closedClient := closed.client(t, wrapper.WithMaxRetries(0))
		closed.Close()
		malformed := newServer(t, jsonBody(200, `{}`))
		notFound := newServer(t, jsonBody(404, `{"error":{"message":"Can't find Person with id p1"}}`))
		errs := map[string]error{}
		_, errs["network"] = closedClient.GetPerson(ctx, "p1")
		_, errs["malformed"] = malformed.client(t).GetPerson(ctx, "p1")
		_, errs["not found"] = notFound.client(t).GetPerson(ctx, "p1")
		_, errs["invalid input"] = notFound.client(t).GetPerson(ctx, "")
		_, errs["list invalid"] = notFound.client(t).ListPeople(ctx, wrapper.ListOptions{MaxResults: 101})
		_, errs["inspect invalid"] = notFound.client(t).InspectPeoplePermissions(ctx, nil, "read")
		for name, err := range errs {
			require.Error(t, err, name)
			assert.Equal(t, 1, strings.Count(err.Error(), "people:"), "%s: %q", name, err)
		}
		assert.ErrorIs(t, errs["network"], wrapper.ErrNetwork)
		assert.Contains(t, errs["network"].Error(), "people: GetPerson: network error")
	})
}

func TestStatusesWithoutASentinelMatchErrUnexpectedStatus(t *testing.T) {
	for _, status := range []int{302, 304, 307, 405, 406, 409, 410, 413, 415, 418, 422, 451} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if status >= 300 && status < 400 {
					w.Header().Set("Location", "https://elsewhere.example/people")
				}
				jsonBody(status, `{"error":{"message":"nope"}}`)(w, r)
			})
			_, err := srv.client(t, wrapper.WithMaxRetries(0)).GetPerson(t.Context(), "p1")
			require.ErrorIs(t, err, wrapper.ErrUnexpectedStatus)
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
		})
	}
	t.Run("a status with a sentinel does not match it", func(t *testing.T) {
		for _, status := range []int{400, 401, 403, 404, 420, 429, 500, 503} {
			assert.NotErrorIs(t, &wrapper.APIError{StatusCode: status}, wrapper.ErrUnexpectedStatus, "%d", status)
		}
	})
}

func TestCredentialsEchoedByTheServerAreScrubbedFromErrors(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testKey+":"+testSecret))
	for name, tc := range map[string]struct {
		body string
		opts []wrapper.Option
		leak []string
	}{
		"the secret":               {`{"error":{"message":"bad secret ` + testSecret + `"}}`, nil, []string{testSecret}},
		"the Authorization value":  {`{"error":{"message":"got ` + basic + `"}}`, nil, []string{basic, strings.TrimPrefix(basic, "Basic ")}},
		"the secret, URL-escaped":  {`{"error":{"message":"echo"},"q":"` + url.QueryEscape(testSecret) + `"}`, nil, []string{testSecret}},
		"the OAuth token":          {`{"error":{"message":"token ` + testToken + ` expired"}}`, []wrapper.Option{wrapper.WithOAuthToken(testToken)}, []string{testToken}},
		"the secret in a raw body": {`<html>` + testSecret + `</html>`, nil, []string{testSecret}},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, jsonBody(401, tc.body))
			_, err := srv.client(t, tc.opts...).GetPerson(t.Context(), "p1")
			require.ErrorIs(t, err, wrapper.ErrAuthentication)
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			for _, secret := range tc.leak {
				assert.NotContains(t, err.Error(), secret)
				assert.NotContains(t, apiErr.Message, secret)
				assert.NotContains(t, string(apiErr.Body), secret)
			}
			assert.Contains(t, string(apiErr.Body), "[redacted]")
		})
	}
}
