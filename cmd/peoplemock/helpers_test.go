package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestMain(m *testing.M) { testkit.ProgramOrTests(m, main) }

// mock is a running peoplemock: its first stdout line, its stderr, and its
// exit status once stopped.
type mock struct {
	line   string
	stderr *testkit.SyncBuffer
	stop   context.CancelFunc
	done   chan int
}

func start(t *testing.T, args ...string) *mock {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	m := &mock{stderr: &testkit.SyncBuffer{}, stop: cancel, done: make(chan int, 1)}
	go func() {
		m.done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, m.stderr)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan(), "no line on stdout; stderr: %s", m.stderr)
	m.line = lines.Text()
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() { m.exit(t) })
	return m
}

// exit stops the mock and returns its exit status.
func (m *mock) exit(t *testing.T) int {
	t.Helper()
	m.stop()
	select {
	case code := <-m.done:
		m.done <- code
		return code
	case <-time.After(10 * time.Second):
		require.FailNow(t, "peoplemock did not stop")
		return -1
	}
}

func (m *mock) client(t *testing.T, opts ...wrapper.Option) *wrapper.Client {
	t.Helper()
	url, ok := strings.CutPrefix(m.line, "CLOUDINARY_URL=")
	require.True(t, ok, "first line %q", m.line)
	c, err := wrapper.New(append([]wrapper.Option{wrapper.WithCloudinaryURL(url)}, opts...)...)
	require.NoError(t, err)
	return c
}

func (m *mock) base(t *testing.T) string {
	t.Helper()
	_, u, ok := strings.Cut(m.line, "upload_prefix=")
	require.True(t, ok, "first line %q", m.line)
	return u
}

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(peopletest.DefaultAPIKey, peopletest.DefaultAPISecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}
