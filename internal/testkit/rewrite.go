package testkit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// Rewriting is a server in front of upstream that passes each call on and
// lets rewrite change the answer's status and body: a server that lies in
// one chosen way, for the tests that must catch it.
func Rewriting(t *testing.T, upstream string, rewrite func(r *http.Request, status int, body []byte) (int, []byte)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, body := Forward(t, upstream, r, r.URL.RawQuery)
		status, body := rewrite(r, resp.StatusCode, body)
		for k, v := range resp.Header {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Forward sends r to base with rawQuery and reads the answer.
func Forward(t *testing.T, base string, r *http.Request, rawQuery string) (*http.Response, []byte) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.Path+"?"+rawQuery, r.Body)
	require.NoError(t, err)
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}
