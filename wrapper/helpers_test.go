package wrapper_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// Credentials used against hand-written test servers. The secret and token
// are distinctive so that a leak is easy to spot in any string.
const (
	testCloud  = "test-cloud"
	testKey    = "111122223333444"
	testSecret = "s3cr3t-DO-NOT-LEAK"
	testToken  = "oauth-TOKEN-do-not-leak"
)

// call is what a hand-written test server saw.
type call struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// recordingServer serves handler and records every call it receives.
type recordingServer struct {
	*httptest.Server
	mu    sync.Mutex
	calls []call
}

func newServer(t *testing.T, handler http.HandlerFunc) *recordingServer {
	t.Helper()
	rs := &recordingServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.calls = append(rs.calls, call{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), body})
		rs.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *recordingServer) Calls() []call {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]call(nil), rs.calls...)
}

// client points a wrapper.Client at rs with test credentials; extra options
// win.
func (rs *recordingServer) client(t *testing.T, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	base := []wrapper.Option{
		wrapper.WithCloudName(testCloud), wrapper.WithAPIKey(testKey), wrapper.WithAPISecret(testSecret),
		wrapper.WithBaseURL(rs.URL),
	}
	c, err := wrapper.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// pipeClient serves h in memory and returns a Client of it: inside a
// testing/synctest bubble, the Client's waits (backoff, Retry-After, a
// reset) pass on the bubble's clock, at once, and so do a fake's hours
// when h is a *peopletest.Server (made outside the bubble), whose
// credentials the Client then carries; any other handler gets the test
// credentials.
func pipeClient(t *testing.T, h http.Handler, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	pipe := testkit.NewPipeServer(h)
	t.Cleanup(pipe.Close)
	base := []wrapper.Option{
		wrapper.WithCloudName(testCloud), wrapper.WithAPIKey(testKey), wrapper.WithAPISecret(testSecret),
	}
	if s, ok := h.(*peopletest.Server); ok {
		base = []wrapper.Option{wrapper.WithCloudName(s.CloudName), wrapper.WithAPIKey(s.APIKey), wrapper.WithAPISecret(s.APISecret)}
	}
	base = append(base, wrapper.WithBaseURL(pipe.URL), wrapper.WithHTTPClient(&http.Client{Transport: pipe.Transport}))
	c, err := wrapper.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// respond answers status with a body and headers.
func respond(status int, contentType, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

func jsonBody(status int, body string, headers ...string) http.HandlerFunc {
	return respond(status, "application/json", body, headers...)
}

// TestMain fails the package when goroutines outlive its tests: a client
// or server left open, a retry loop that never ended. It checks once, at
// the end, so that the tests may run in parallel.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// noNewGoroutines fails t when goroutines started during it outlive it.
// It sees every goroutine of the process, so only a test that runs alone
// (no t.Parallel) may use it.
func noNewGoroutines(t *testing.T) {
	t.Helper()
	existing := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, existing) })
}

func isErr(target error) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		assert.ErrorIs(t, err, target)
	}
}
