package rawhttp_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/rawhttp"
)

// rawAnswer serves one answer through a Recorder and returns the bytes
// that reached the wire.
func rawAnswer(t *testing.T, status int, body string, cut bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := rawhttp.NewRecorder()
		rec.Header().Set("Content-Type", "application/json")
		rec.WriteHeader(status)
		io.WriteString(rec, body)
		if cut {
			rec.FlushCut(w)
			return
		}
		rec.Flush(w)
	}))
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	out, err := io.ReadAll(bufio.NewReader(conn))
	require.NoError(t, err)
	return string(out)
}

func TestAnswersReachTheWireAsRecorded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, statusLine, body string
		status                 int
		cut                    bool
	}{
		{"a status net/http knows", "HTTP/1.1 404 Not Found", `{"error":{}}`, 404, false},
		{"420 with its phrase", "HTTP/1.1 420 Enhance Your Calm", `{"error":{}}`, 420, false},
		{"a body cut short of its length", "HTTP/1.1 200 OK", `{"peop`, 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := `{"people":[]}`
			if !tt.cut {
				full = tt.body
			}
			out := rawAnswer(t, tt.status, full, tt.cut)
			assert.True(t, strings.HasPrefix(out, tt.statusLine+"\r\n"), out)
			assert.Contains(t, out, "Content-Length: "+strconv.Itoa(len(full)))
			assert.True(t, strings.HasSuffix(out, "\r\n\r\n"+tt.body), out)
		})
	}
	t.Run("the first status written stands", func(t *testing.T) {
		rec := rawhttp.NewRecorder()
		rec.WriteHeader(503)
		rec.WriteHeader(200)
		assert.Equal(t, 503, rec.Status)
	})
}
