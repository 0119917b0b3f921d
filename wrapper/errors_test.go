package wrapper_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestEachStatusMatchesItsSentinel(t *testing.T) {
	noLeaks(t)
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
		srv := newServer(t, jsonBody(tc.status, `{"error":{"message":"boom-`+strconv.Itoa(tc.status)+`"}}`,
			"X-FeatureRateLimit-Limit", "500", "X-FeatureRateLimit-Remaining", "7", "X-FeatureRateLimit-Reset", "Wed, 03 Oct 2012 08:00:00 GMT"))
		_, err := srv.client(t, wrapper.WithMaxRetries(0)).GetPerson(ctx, "p1")
		for _, s := range sentinels {
			if got := errors.Is(err, s); got != (s == tc.want) {
				t.Errorf("HTTP %d: errors.Is(err, %v) = %v", tc.status, s, got)
			}
		}
		var apiErr *wrapper.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("HTTP %d: err %T is not *APIError", tc.status, err)
		}
		if apiErr.StatusCode != tc.status || apiErr.Message != "boom-"+strconv.Itoa(tc.status) || !strings.Contains(string(apiErr.Body), "boom") {
			t.Errorf("HTTP %d: %+v", tc.status, apiErr)
		}
		wantReset := time.Date(2012, 10, 3, 8, 0, 0, 0, time.UTC)
		if apiErr.RateLimit.Limit != 500 || apiErr.RateLimit.Remaining != 7 || !apiErr.RateLimit.Reset.Equal(wantReset) {
			t.Errorf("HTTP %d: RateLimit = %+v", tc.status, apiErr.RateLimit)
		}
		if !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), strconv.Itoa(tc.status)) {
			t.Errorf("HTTP %d: Error() = %q", tc.status, err)
		}
	}
}

func TestErrorMessagesForBodiesWithoutOne(t *testing.T) {
	noLeaks(t)
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
			if !errors.As(err, &apiErr) || !strings.HasPrefix(apiErr.Message, tc.want) {
				t.Errorf("err = %v, want message starting %q", err, tc.want)
			}
		})
	}
}

func TestFakeServerFaultsMapToSentinels(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	c := s.Client(wrapper.WithMaxRetries(0))
	id := s.People()[0].ID
	for status, want := range map[int]error{401: wrapper.ErrAuthentication, 403: wrapper.ErrFeatureNotEnabled, 420: wrapper.ErrRateLimited, 429: wrapper.ErrRateLimited, 500: wrapper.ErrServer} {
		s.FailNext(1, status)
		if _, err := c.GetPerson(ctx, id); !errors.Is(err, want) {
			t.Errorf("fault %d: err = %v, want %v", status, err, want)
		}
	}
	s.InjectFault(1, peopletest.Fault{Status: 503, HTML: true})
	if _, err := c.GetPerson(ctx, id); !errors.Is(err, wrapper.ErrServer) || !strings.Contains(err.Error(), "HTML") {
		t.Errorf("HTML 503: err = %v", err)
	}
	wrong := peopletest.NewServer(t, peopletest.WithCredentials(s.CloudName, s.APIKey, "another-secret"))
	if _, err := wrong.Client(wrapper.WithAPISecret("bad")).GetPerson(ctx, id); !errors.Is(err, wrapper.ErrAuthentication) {
		t.Errorf("wrong secret: err = %v, want ErrAuthentication", err)
	}
}

func TestNetworkErrorsWrapErrNetworkAndTheirCause(t *testing.T) {
	noLeaks(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret(testSecret),
		wrapper.WithBaseURL("http://"+addr), wrapper.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetPerson(ctx, "p1")
	if !errors.Is(err, wrapper.ErrNetwork) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err = %v, want ErrNetwork wrapping ECONNREFUSED", err)
	}
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a network error must not look like an API answer")
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("err leaks the secret: %v", err)
	}
}

func TestContextErrorsStayVisible(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	c := s.Client()
	s.InjectFault(1, peopletest.Fault{Delay: 2 * time.Second})
	dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListPeople(dctx, wrapper.ListOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded visible", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v, the deadline was 100ms", time.Since(start))
	}
	cctx, cancel2 := context.WithCancel(ctx)
	cancel2()
	if _, err := c.GetPerson(cctx, "p1"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestMalformedSuccessBodiesAreErrorsNotPanics(t *testing.T) {
	noLeaks(t)
	for name, h := range map[string]http.HandlerFunc{
		"truncated JSON":  jsonBody(200, `{"people":[{"id":"p1","na`),
		"HTML with 200":   respond(200, "text/html", "<html>maintenance</html>"),
		"wrong types":     jsonBody(200, `{"people":"nope"}`),
		"bad date":        jsonBody(200, `{"people":[{"id":"p1","status":"active","created_at":"yesterday"}]}`),
		"empty body":      respond(200, "application/json", ""),
		"number as array": jsonBody(200, `{"people":[{"id":"p1","thumbnail":{"bounding_box":7}}]}`),
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			_, err := srv.client(t).ListPeople(ctx, wrapper.ListOptions{})
			if !errors.Is(err, wrapper.ErrMalformedResponse) {
				t.Errorf("err = %v, want ErrMalformedResponse", err)
			}
			if len(srv.Calls()) != 1 {
				t.Errorf("%d calls; a malformed 200 must not be retried", len(srv.Calls()))
			}
		})
	}
}

func TestRedirectsDoNotCarryCredentials(t *testing.T) {
	noLeaks(t)
	elsewhere := newServer(t, jsonBody(200, onePerson))
	origin := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		// localhost vs 127.0.0.1: a different host, as an attacker's would be.
		target := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1) + r.URL.Path
		http.Redirect(w, r, target, http.StatusFound)
	})
	_, err := origin.client(t).GetPerson(ctx, "p1")
	for _, c := range elsewhere.Calls() {
		if c.Header.Get("Authorization") != "" {
			t.Fatalf("the redirect target received credentials: %q", c.Header.Get("Authorization"))
		}
	}
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound {
		t.Errorf("err = %v, want the 302 reported as an APIError", err)
	}
}
