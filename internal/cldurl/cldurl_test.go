package cldurl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSplitsWhereTheOwnerMeant(t *testing.T) {
	for _, tc := range []struct {
		name, raw                 string
		key, secret, cloud, token string
		prefix                    string
	}{
		{"plain", "cloudinary://123:abc@demo", "123", "abc", "demo", "", ""},
		{"escaped secret", "cloudinary://k:se%2Fcr%40et@cloud", "k", "se/cr@et", "cloud", "", ""},
		{"at sign in oauth_token", "cloudinary://k:s@cloud?oauth_token=a@b", "k", "s", "cloud", "a@b", ""},
		{"at sign in upload_prefix", "cloudinary://k:s@c@cloud?upload_prefix=https://u@api-eu.cloudinary.com", "k", "s@c", "cloud", "", "https://u@api-eu.cloudinary.com"},
		{"secret with @ then ?", "cloudinary://123456789012345:Zx8@q9Lm3TpWq?7Rk@demo-cloud", "123456789012345", "Zx8@q9Lm3TpWq?7Rk", "demo-cloud", "", ""},
		{"shortest ambiguous secret", "cloudinary://0:0@0?@0", "0", "0@0?", "0", "", ""},
		{"secret with / and #", "cloudinary://key:sec/ret#x@cloud/", "key", "sec/ret#x", "cloud", "", ""},
		{"no userinfo", "cloudinary://cloud?oauth_token=tok", "", "", "cloud", "tok", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := Parse(tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.key, u.APIKey)
			assert.Equal(t, tc.secret, u.APISecret)
			assert.Equal(t, tc.cloud, u.CloudName)
			assert.Equal(t, tc.token, u.OAuthToken)
			assert.Equal(t, tc.prefix, u.UploadPrefix)
		})
	}
}

func TestParseErrorsNeverEchoTheSecret(t *testing.T) {
	const secret = "very-secret-value-Zx8"
	for _, raw := range []string{
		"https://k:" + secret + "@cloud",
		"cloudinary://k:" + secret + "%zz@cloud",
		"cloudinary://k:" + secret + "@cloud?timeout=soon",
		"cloudinary://k:" + secret + "@cloud?%zz",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := Parse(raw)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

func TestStringRoundTrips(t *testing.T) {
	timeout := 1500 * time.Millisecond
	for _, u := range []URL{
		{CloudName: "demo", APIKey: "123", APISecret: "s3cr@t/?#:%&= x"},
		{CloudName: "demo-cloud", APIKey: "1", APISecret: "2", UploadPrefix: "http://127.0.0.1:8080", OAuthToken: "a@b&c", Timeout: &timeout},
	} {
		t.Run(u.APISecret, func(t *testing.T) {
			back, err := Parse(u.String())
			require.NoError(t, err)
			assert.Equal(t, u, back)
		})
	}
}

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{"https://api.cloudinary.com", true},
		{"https://api-eu.cloudinary.com/", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:1", true},
		{"http://[::1]:9", true},
		{"http://api.cloudinary.com", false},
		{"http://10.1.2.3:8080", false},
		{"ftp://x", false},
		{"https://u:p@api.cloudinary.com", false},
		{"https://api.cloudinary.com?x=1", false},
		{"api.cloudinary.com", false},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			_, err := BaseURL(tc.raw)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
