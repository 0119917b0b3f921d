package wrapper_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

func TestHostileServers(t *testing.T) {
	ctx := t.Context()
	big := bytes.Repeat([]byte(" "), 10<<20)
	tenMB := append(append([]byte(`{"people":[`), big...), []byte(`]}`)...)
	cases := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, err error)
	}{
		{"truncated JSON", jsonBody(200, `{"people":[{"id":"p1","name":"Ann","sta`), isErr(wrapper.ErrMalformedResponse)},
		{"10 MB success body", jsonBody(200, string(tenMB)), isErr(wrapper.ErrResponseTooLarge)},
		{"10 MB error body", jsonBody(500, string(tenMB)), func(t *testing.T, err error) {
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 500, apiErr.StatusCode)
			assert.LessOrEqual(t, len(apiErr.Body), 64<<10, "the body is cut to 64 KiB")
		}},
		{"200 with an HTML body", respond(200, "text/html", "<!doctype html><h1>Maintenance</h1>"), isErr(wrapper.ErrMalformedResponse)},
		{"connection reset mid-body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "5000")
			w.WriteHeader(200)
			w.Write([]byte(`{"people":[{"id":"p1",`))
			w.(http.Flusher).Flush()
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.(*net.TCPConn).SetLinger(0) // RST, not FIN
				conn.Close()
			}
		}, isErr(wrapper.ErrNetwork)},
		{"gzip bomb claims", respond(200, "application/json", "\x1f\x8b\x08\x00", "Content-Encoding", "gzip"), func(t *testing.T, err error) {
			assert.Error(t, err, "a corrupt gzip body decoded without error")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tc.handler)
			var logs testkit.SyncBuffer
			c := srv.client(t, wrapper.WithMaxRetries(1), wrapper.WithLogger(debugLogger(&logs)))
			dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, err := c.ListPeople(dctx, wrapper.ListOptions{})
			tc.check(t, err)
			if err != nil {
				assertNoSecrets(t, "error", err.Error())
			}
			assertNoSecrets(t, "log", logs.String())
		})
	}
}

// A server that accepts connections and never says a word: the deadline
// must win, and nothing may be left running.
func TestServerThatNeverAnswers(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})

	t.Run("the context's deadline wins", func(t *testing.T) {
		c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret(testSecret), wrapper.WithBaseURL("http://"+l.Addr().String()))
		require.NoError(t, err)
		dctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err = c.GetPerson(dctx, "p1")
		assert.Less(t, time.Since(start), 2*time.Second, "the deadline was 300ms")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("without one, the client's own timeout ends the wait", func(t *testing.T) {
		c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret(testSecret),
			wrapper.WithBaseURL("http://"+l.Addr().String()), wrapper.WithTimeout(200*time.Millisecond), wrapper.WithMaxRetries(1))
		require.NoError(t, err)
		start := time.Now()
		_, err = c.GetPerson(ctx, "p1")
		assert.Less(t, time.Since(start), 2*time.Second, "the 200ms timeout, twice")
		assert.ErrorIs(t, err, wrapper.ErrNetwork)
	})
}
