package wrapper_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// authOf decodes the Basic credentials a call carried.
func authOf(t *testing.T, c call) (cloud, key, secret string) {
	t.Helper()
	h := c.Header.Get("Authorization")
	require.True(t, strings.HasPrefix(h, "Basic "), "Authorization %q is not Basic", h)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	require.NoError(t, err, "Authorization %q is not Basic", h)
	key, secret, _ = strings.Cut(string(raw), ":")
	cloud = strings.Split(c.Path, "/")[2]
	return cloud, key, secret
}

const onePerson = `{"person":{"id":"p1","name":"Ann","status":"active"}}`

func TestNewReadsCloudinaryURLAndExplicitOptionsWinFieldByField(t *testing.T) {
	srv := newServer(t, jsonBody(200, onePerson))
	envURL := "cloudinary://envkey:envsecret@envcloud?upload_prefix=" + srv.URL

	cases := []struct {
		name                     string
		opts                     []wrapper.Option
		cloud, key, secret, note string
	}{
		{"environment only", nil, "envcloud", "envkey", "envsecret", ""},
		{"cloud name only", []wrapper.Option{wrapper.WithCloudName("mine")}, "mine", "envkey", "envsecret", ""},
		{"key only", []wrapper.Option{wrapper.WithAPIKey("k2")}, "envcloud", "k2", "envsecret", ""},
		{"secret only", []wrapper.Option{wrapper.WithAPISecret("s2")}, "envcloud", "envkey", "s2", ""},
		{"all explicit", []wrapper.Option{wrapper.WithCloudName("c3"), wrapper.WithAPIKey("k3"), wrapper.WithAPISecret("s3")}, "c3", "k3", "s3", ""},
		{"empty option counts as not given", []wrapper.Option{wrapper.WithCloudName("")}, "envcloud", "envkey", "envsecret", ""},
		{"WithCloudinaryURL beats the environment", []wrapper.Option{wrapper.WithCloudinaryURL("cloudinary://uk:us@ucloud?upload_prefix=" + srv.URL)}, "ucloud", "uk", "us", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CLOUDINARY_URL", envURL)
			c, err := wrapper.New(tc.opts...)
			require.NoError(t, err)
			_, err = c.GetPerson(context.Background(), "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			cloud, key, secret := authOf(t, calls[len(calls)-1])
			assert.Equal(t, []string{tc.cloud, tc.key, tc.secret}, []string{cloud, key, secret}, "cloud, key, secret sent")
		})
	}
}

func TestNewDecodesPercentEncodedSecret(t *testing.T) {
	srv := newServer(t, jsonBody(200, onePerson))
	t.Setenv("CLOUDINARY_URL", "cloudinary://key:a%2Fb%3Ac%40d%25e%2Bf@cloud?upload_prefix="+srv.URL)
	c, err := wrapper.New()
	require.NoError(t, err)
	_, err = c.GetPerson(context.Background(), "p1")
	require.NoError(t, err)
	_, _, secret := authOf(t, srv.Calls()[0])
	assert.Equal(t, "a/b:c@d%e+f", secret)
}

func TestOAuthTokenFromURLAndOptionUsesBearer(t *testing.T) {
	srv := newServer(t, jsonBody(200, onePerson))
	for name, opts := range map[string][]wrapper.Option{
		"from CLOUDINARY_URL": {wrapper.WithCloudinaryURL("cloudinary://cloud?oauth_token=" + testToken + "&upload_prefix=" + srv.URL)},
		"from option":         {wrapper.WithCloudName("cloud"), wrapper.WithOAuthToken(testToken), wrapper.WithBaseURL(srv.URL)},
		"wins over key":       {wrapper.WithCloudinaryURL("cloudinary://k:s@cloud?upload_prefix=" + srv.URL), wrapper.WithOAuthToken(testToken)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("CLOUDINARY_URL", "")
			c, err := wrapper.New(opts...)
			require.NoError(t, err)
			_, err = c.GetPerson(context.Background(), "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			assert.Equal(t, "Bearer "+testToken, calls[len(calls)-1].Header.Get("Authorization"))
		})
	}
}

func TestTimeoutFromCloudinaryURL(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	c, err := wrapper.New(wrapper.WithCloudinaryURL("cloudinary://k:s@cloud?timeout=0.2&upload_prefix="+srv.URL), wrapper.WithMaxRetries(0))
	require.NoError(t, err)
	start := time.Now()
	_, err = c.GetPerson(context.Background(), "p1")
	assert.Less(t, time.Since(start), 2*time.Second, "the 0.2s timeout was not applied")
	// The caller's context is alive: the deadline that passed is the
	// SDK's per-attempt one, which must not read as the caller's own.
	assert.ErrorIs(t, err, wrapper.ErrNetwork)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "per-attempt timeout")
}

func TestNewConfigErrors(t *testing.T) {
	cases := []struct {
		name    string
		env     string
		opts    []wrapper.Option
		mention string
	}{
		{"nothing at all", "", nil, "CLOUDINARY_URL"},
		{"wrong scheme", "https://key:" + testSecret + "@cloud", nil, "cloudinary://<api_key>:<api_secret>@<cloud_name>"},
		{"not a URL", "just-some-text", nil, "cloudinary://<api_key>:<api_secret>@<cloud_name>"},
		{"missing key", "cloudinary://:" + testSecret + "@cloud", nil, "API key"},
		{"missing secret", "cloudinary://key@cloud", nil, "API secret"},
		{"missing secret, explicit", "", []wrapper.Option{wrapper.WithCloudName("c"), wrapper.WithAPIKey("k")}, "API secret"},
		{"missing cloud name", "cloudinary://key:" + testSecret + "@", nil, "cloud name"},
		{"missing cloud name, explicit", "", []wrapper.Option{wrapper.WithAPIKey("k"), wrapper.WithAPISecret(testSecret)}, "cloud name"},
		{"unparsable timeout", "cloudinary://key:" + testSecret + "@cloud?timeout=soon", nil, "timeout"},
		{"negative timeout", "cloudinary://key:" + testSecret + "@cloud?timeout=-1", nil, "timeout"},
		{"bad percent-encoding in secret", "cloudinary://key:" + testSecret + "%zz@cloud", nil, "percent-encoded"},
		{"http to a remote host", "cloudinary://key:" + testSecret + "@cloud?upload_prefix=http://api.cloudinary.com", nil, "clear text"},
		{"http to a remote host, explicit", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithBaseURL("http://example.com")}, "clear text"},
		{"base URL with credentials", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithBaseURL("https://u:p@example.com")}, "credentials"},
		{"base URL not a URL", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithBaseURL("::")}, "base URL"},
		{"ftp base URL", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithBaseURL("ftp://example.com")}, "https"},
		{"negative retries", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithMaxRetries(-1)}, "WithMaxRetries"},
		{"negative timeout option", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithTimeout(-time.Second)}, "WithTimeout"},
		{"nil HTTP client", "cloudinary://key:" + testSecret + "@cloud", []wrapper.Option{wrapper.WithHTTPClient(nil)}, "WithHTTPClient"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CLOUDINARY_URL", tc.env)
			c, err := wrapper.New(tc.opts...)
			require.Error(t, err, "New succeeded (%v)", c)
			assert.ErrorIs(t, err, wrapper.ErrConfig)
			assert.ErrorContains(t, err, tc.mention)
			assert.NotContains(t, err.Error(), testSecret)
		})
	}
}

func TestPlainHTTPAllowedOnlyOnLoopback(t *testing.T) {
	t.Setenv("CLOUDINARY_URL", "")
	for _, u := range []string{"http://localhost:8080", "http://127.0.0.1:9", "http://127.1.2.3", "http://[::1]:8080", "https://api-eu.cloudinary.com", "https://people.example.com/base/"} {
		t.Run("allowed "+u, func(t *testing.T) {
			_, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(u))
			assert.NoError(t, err)
		})
	}
	for _, u := range []string{"http://10.0.0.1", "http://api.cloudinary.com", "http://localhost.example.com"} {
		t.Run("refused "+u, func(t *testing.T) {
			_, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(u))
			assert.ErrorIs(t, err, wrapper.ErrConfig)
		})
	}
}

func TestRegionalBaseURLFromUploadPrefix(t *testing.T) {
	t.Parallel()
	srv := newServer(t, jsonBody(200, onePerson))
	// A path prefix on the base URL is kept (a proxy may mount the API under one).
	c, err := wrapper.New(wrapper.WithCloudinaryURL("cloudinary://k:s@cloud?upload_prefix=" + srv.URL + "/proxy"))
	require.NoError(t, err)
	_, err = c.GetPerson(context.Background(), "p1")
	require.NoError(t, err)
	assert.Equal(t, "/proxy/v1_1/cloud/people/p1", srv.Calls()[0].Path)
}

func TestClientPrintsWithoutSecrets(t *testing.T) {
	t.Setenv("CLOUDINARY_URL", "")
	for _, opt := range []wrapper.Option{wrapper.WithAPISecret(testSecret), wrapper.WithOAuthToken(testToken)} {
		c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), opt)
		require.NoError(t, err)
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(format, c)
			for _, secret := range []string{testSecret, testToken, "Basic "} {
				assert.NotContains(t, out, secret, "Printf(%q, client)", format)
			}
		}
	}
}

func TestCloudinaryURLWithAtSignInTheQuery(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, jsonBody(200, `{"person":{"id":"p1"}}`))
	cases := []struct {
		name, url          string
		cloud, key, secret string
		bearer             string
	}{
		{"oauth token with @", "cloudinary://key:sec@cloud?oauth_token=a@b&upload_prefix=" + srv.URL, "cloud", "", "", "a@b"},
		{"secret with @ and token with @", "cloudinary://key:s@c@cloud?upload_prefix=" + srv.URL + "&oauth_token=x@y", "cloud", "", "", "x@y"},
		{"secret with @, no query @", "cloudinary://key:s@c@cloud?upload_prefix=" + srv.URL, "cloud", "key", "s@c", ""},
		{"@ after a slash in the query", "cloudinary://key:sec@cloud?upload_prefix=" + srv.URL + "&note=/a@b", "cloud", "key", "sec", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := wrapper.New(wrapper.WithCloudinaryURL(tc.url))
			require.NoError(t, err)
			assert.Equal(t, tc.cloud, c.CloudName())
			_, err = c.GetPerson(ctx, "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			last := calls[len(calls)-1]
			assert.Equal(t, "/v1_1/"+tc.cloud+"/people/p1", last.Path)
			if tc.bearer != "" {
				assert.Equal(t, "Bearer "+tc.bearer, last.Header.Get("Authorization"))
				return
			}
			_, key, secret := authOf(t, last)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.secret, secret)
		})
	}
}

func TestCloudinaryURLSecretWithAtAndQuestionMark(t *testing.T) {
	ctx := t.Context()
	srv := newServer(t, jsonBody(200, `{"person":{"id":"p1"}}`))
	for _, tc := range []struct{ url, cloud, key, secret string }{
		{"cloudinary://123456789012345:Zx8@q9Lm3TpWq?7Rk@demo-cloud", "demo-cloud", "123456789012345", "Zx8@q9Lm3TpWq?7Rk"},
		{"cloudinary://0:0@0?@0", "0", "0", "0@0?"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := wrapper.New(wrapper.WithCloudinaryURL(tc.url), wrapper.WithBaseURL(srv.URL))
			require.NoError(t, err)
			assert.Equal(t, tc.cloud, c.CloudName())
			assert.NotContains(t, c.String(), "q9Lm3TpWq")
			_, err = c.GetPerson(ctx, "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			last := calls[len(calls)-1]
			assert.Equal(t, "/v1_1/"+tc.cloud+"/people/p1", last.Path)
			_, key, secret := authOf(t, last)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.secret, secret)
		})
	}
}

func TestValuesThatCanNeverWorkFailEarly(t *testing.T) {
	ctx := t.Context()
	t.Setenv("CLOUDINARY_URL", "")
	base := []wrapper.Option{wrapper.WithBaseURL("https://api.cloudinary.com")}
	for name, opts := range map[string][]wrapper.Option{
		"token with LF":       {wrapper.WithCloudName("c"), wrapper.WithOAuthToken("tok\n")},
		"token with CR":       {wrapper.WithCloudName("c"), wrapper.WithOAuthToken("tok\rX-Evil: 1")},
		"key with NUL":        {wrapper.WithCloudName("c"), wrapper.WithAPIKey("12\x003"), wrapper.WithAPISecret("s")},
		"secret with LF":      {wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s\n")},
		"secret with DEL":     {wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s\x7f")},
		"cloud with tab":      {wrapper.WithCloudName("c\t"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s")},
		"URL secret with %0A": {wrapper.WithCloudinaryURL("cloudinary://k:s%0A@c")},
		"URL token with ESC":  {wrapper.WithCloudinaryURL("cloudinary://k:s@c?oauth_token=a%1Bb")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := wrapper.New(append(base, opts...)...)
			assert.ErrorIs(t, err, wrapper.ErrConfig)
			assert.ErrorContains(t, err, "control character")
		})
	}
	t.Run("update name that is not UTF-8", func(t *testing.T) {
		srv := newServer(t, jsonBody(200, `{"person_id":"p1"}`))
		_, err := srv.client(t).UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Name: "Ann\xff\xfe"})
		assert.ErrorIs(t, err, wrapper.ErrInvalidInput)
		assert.Empty(t, srv.Calls(), "nothing may be sent")
	})
}

func TestExplicitCredentialsWinOverTheEnvironmentsOfEitherKind(t *testing.T) {
	srv := newServer(t, jsonBody(200, onePerson))
	t.Setenv("CLOUDINARY_URL", "cloudinary://envkey:envsecret@cloud?oauth_token=env-token&upload_prefix="+srv.URL)
	for name, tc := range map[string]struct {
		opts []wrapper.Option
		want string
	}{
		"an explicit key and secret beat the environment's token": {
			[]wrapper.Option{wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s")}, basicHeader("k", "s")},
		"an explicit secret alone keeps the environment's key, and Basic auth": {
			[]wrapper.Option{wrapper.WithAPISecret("s")}, basicHeader("envkey", "s")},
		"an explicit token beats everything": {
			[]wrapper.Option{wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithOAuthToken("tok")}, "Bearer tok"},
		"nothing explicit: the environment's token": {nil, "Bearer env-token"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := wrapper.New(tc.opts...)
			require.NoError(t, err)
			_, err = c.GetPerson(t.Context(), "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			assert.Equal(t, tc.want, calls[len(calls)-1].Header.Get("Authorization"))
		})
	}
}

func basicHeader(key, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
}

func TestAnAPIKeyHoldingAColonIsRefused(t *testing.T) {
	for name, opts := range map[string][]wrapper.Option{
		"in CLOUDINARY_URL": {wrapper.WithCloudinaryURL("cloudinary://ke%3Ay:" + testSecret + "@cloud")},
		"as an option":      {wrapper.WithCloudName("cloud"), wrapper.WithAPIKey("ke:y"), wrapper.WithAPISecret(testSecret)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := wrapper.New(opts...)
			require.ErrorIs(t, err, wrapper.ErrConfig)
			assert.Contains(t, err.Error(), "':'")
			assert.NotContains(t, err.Error(), testSecret)
		})
	}
}

func TestAmbiguousUnencodedSecretsAreRefusedWithoutEcho(t *testing.T) {
	for _, raw := range []string{
		"cloudinary://123456789012345:Ab@cd?timeout=PRIVATEpart@cloud",
		"cloudinary://123456789012345:Zx8@q9?a=1@cloud",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := wrapper.New(wrapper.WithCloudinaryURL(raw))
			require.ErrorIs(t, err, wrapper.ErrConfig)
			assert.Contains(t, err.Error(), "percent-encode")
			for _, part := range []string{"PRIVATE", "Ab", "Zx8", "q9"} {
				assert.NotContains(t, err.Error(), part)
			}
		})
	}
}
