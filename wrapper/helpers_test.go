package wrapper_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
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

// noLeaks fails the test if it ends with more goroutines than it started
// with. Call it first, so that its check runs after every other cleanup
// (servers closing) has run.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			assert.LessOrEqual(t, n, before, "goroutines leaked:\n%s", buf)
		}
	})
}

func isErr(target error) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		assert.ErrorIs(t, err, target)
	}
}
