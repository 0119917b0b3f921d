package redact_test

import (
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

func TestScrubberReplacesSecretsInEveryForm(t *testing.T) {
	t.Parallel()
	const secret = "se/cr@t+value"
	s := redact.New(redact.Basic("key", secret)...)
	b64 := base64.StdEncoding.EncodeToString([]byte("key:" + secret))
	for name, text := range map[string]string{
		"as it is":       "the secret is " + secret,
		"URL-escaped":    "?sig=" + url.QueryEscape(secret),
		"path-escaped":   "/x/" + url.PathEscape(secret),
		"JSON-escaped":   `{"s":"se\/cr@t+value"}`,
		"as Basic's b64": "Authorization: Basic " + b64,
	} {
		t.Run(name, func(t *testing.T) {
			got := s.String(text)
			assert.NotContains(t, got, secret)
			assert.NotContains(t, got, b64)
			assert.Contains(t, got, redact.Placeholder)
			assert.Equal(t, got, string(s.Bytes([]byte(text))))
		})
	}
	t.Run("a header keeps its scheme", func(t *testing.T) {
		assert.Equal(t, "Basic "+redact.Placeholder, s.String("Basic "+b64))
	})
}

func TestFromAuthorization(t *testing.T) {
	t.Parallel()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("k:the-secret"))
	assert.Contains(t, redact.FromAuthorization(basic), "the-secret")
	assert.Equal(t, []string{"tok-123"}, redact.FromAuthorization("Bearer tok-123"))
}

func TestShortValuesAndNilScrubbersLeaveTextAlone(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a b c", redact.New("b", "").String("a b c"))
	var none *redact.Scrubber
	assert.Equal(t, "text", none.String("text"))
	assert.True(t, none.Empty())
}
