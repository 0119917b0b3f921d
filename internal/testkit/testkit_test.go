package testkit

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A port another test took in the meantime must not pass for Redis.
func TestOnlyRedisAnswersPong(t *testing.T) {
	t.Run("an HTTP server on the port", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		assert.False(t, pong(strings.TrimPrefix(srv.URL, "http://")))
	})
	t.Run("nothing on the port", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		addr := strings.TrimPrefix(srv.URL, "http://")
		srv.Close()
		assert.False(t, pong(addr))
	})
	t.Run("the redis-server StartRedis started", func(t *testing.T) {
		assert.True(t, pong(StartRedis(t)))
	})
}
