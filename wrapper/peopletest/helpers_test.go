package peopletest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// recordingTB captures what the server reports, so tests can assert that a
// violation fails the test that caused it.
type recordingTB struct {
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recordingTB) Cleanup(f func())                  { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) close() {
	for _, f := range r.cleanups {
		f()
	}
}

func quietServer(t *testing.T, opts ...peopletest.Option) *peopletest.Server {
	return testkit.QuietServer(t, opts...)
}

func target(s *peopletest.Server, writes bool) peopletest.ConformanceTarget {
	return peopletest.ConformanceTarget{BaseURL: s.URL, CloudName: s.CloudName, APIKey: s.APIKey, APISecret: s.APISecret, Writes: writes}
}

// overPipe runs f in a synctest bubble with a client that reaches s over
// in-memory connections: f's sleeps, the fake's delays and its hours then
// take no real time and happen in a fixed order, however loaded the
// machine. The bubble's t must not start subtests, so f gathers and the
// caller asserts.
func overPipe(t *testing.T, s *peopletest.Server, f func(t *testing.T, hc *http.Client, base string)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		pipe := testkit.NewPipeServer(s)
		t.Cleanup(pipe.Close)
		f(t, &http.Client{Transport: pipe.Transport}, pipe.URL)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// call sends one raw request to the fake with its credentials (headers
// are name, value pairs) and returns the answer with its body read.
func call(t *testing.T, s *peopletest.Server, method, path, body string, header ...string) (*http.Response, string) {
	t.Helper()
	return request(t, method, s.URL+path, body, header...)
}

// request sends one raw request to url with the fake's default
// credentials and returns the answer with its body read.
func request(t *testing.T, method, url, body string, header ...string) (*http.Response, string) {
	t.Helper()
	return requestWith(t, http.DefaultClient, method, url, body, header...)
}

// requestWith is request through hc.
func requestWith(t *testing.T, hc *http.Client, method, url, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(peopletest.DefaultAPIKey, peopletest.DefaultAPISecret)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}
