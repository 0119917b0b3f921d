package wrapper

import (
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
)

// DefaultBaseURL is the global API host; see WithBaseURL for regional ones.
const DefaultBaseURL = "https://api.cloudinary.com"

// Defaults used when neither an option nor CLOUDINARY_URL says otherwise.
const (
	DefaultTimeout    = 60 * time.Second // per attempt
	DefaultMaxRetries = 2
)

// Option configures [New]. Options given explicitly win over CLOUDINARY_URL,
// field by field; an empty string counts as not given.
type Option func(*options) error

type options struct {
	cloudName, apiKey, apiSecret, oauthToken string
	cloudinaryURL                            string
	baseURL                                  string
	httpClient                               *http.Client
	timeout                                  *time.Duration
	maxRetries                               int
	logger                                   *slog.Logger
	userAgent                                string
	waitForRateLimit                         bool
	onWait                                   func(time.Time)
	observers                                observers
	reserve                                  int
	allowance                                Allowance
}

// WithCloudName sets the product environment's cloud name.
func WithCloudName(name string) Option {
	return func(o *options) error { o.cloudName = name; return nil }
}

// WithAPIKey sets the API key used for HTTP Basic auth.
func WithAPIKey(key string) Option {
	return func(o *options) error { o.apiKey = key; return nil }
}

// WithAPISecret sets the API secret used for HTTP Basic auth.
func WithAPISecret(secret string) Option {
	return func(o *options) error { o.apiSecret = secret; return nil }
}

// WithCloudinaryURL parses this cloudinary://key:secret@cloud URL instead of
// the CLOUDINARY_URL environment variable.
func WithCloudinaryURL(u string) Option {
	return func(o *options) error { o.cloudinaryURL = u; return nil }
}

// WithOAuthToken sends `Authorization: Bearer token` instead of Basic auth;
// the API key and secret are then not needed.
func WithOAuthToken(token string) Option {
	return func(o *options) error { o.oauthToken = token; return nil }
}

// WithBaseURL sets the API host, such as https://api-eu.cloudinary.com,
// https://api-ap.cloudinary.com, an enterprise host or a test server.
// Plain http:// is accepted only for loopback hosts.
func WithBaseURL(u string) Option {
	return func(o *options) error { o.baseURL = u; return nil }
}

// WithHTTPClient sends requests through c. Its Transport is kept (wrap it,
// for example with peopletest.ValidatingTransport); redirects to another
// host are never followed, so credentials cannot leak through one.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error {
		if c == nil {
			return configError("WithHTTPClient: nil *http.Client")
		}
		o.httpClient = c
		return nil
	}
}

// WithTimeout bounds each attempt of each call, including reading the
// answer. 0 leaves only the context to bound it. The default is
// [DefaultTimeout], or the timeout of CLOUDINARY_URL. A timed-out attempt is
// [ErrNetwork], not context.DeadlineExceeded: the caller's own deadline did
// not pass.
func WithTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return configError("WithTimeout: negative duration %v", d)
		}
		o.timeout = &d
		return nil
	}
}

// WithMaxRetries sets how many times a failed idempotent call is retried
// (default [DefaultMaxRetries]); 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(o *options) error {
		if n < 0 {
			return configError("WithMaxRetries: negative count %d", n)
		}
		o.maxRetries = n
		return nil
	}
}

// WithLogger logs each attempt (method, path, status, duration, attempt) at
// Debug level. Credentials and headers are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { o.logger = l; return nil }
}

// WithWaitForRateLimit makes a call wait until the hourly allowance resets
// when the latest answer said it is used up, instead of failing at once
// with [ErrRateLimited]. The wait is bounded by the call's context: when
// the context's deadline comes before the reset, the call fails at once.
func WithWaitForRateLimit() Option {
	return func(o *options) error { o.waitForRateLimit = true; return nil }
}

// WithRateLimitWaitHook calls fn with the time a call will wait until,
// each time one waits for the hourly allowance under
// [WithWaitForRateLimit]: a job can show a countdown.
func WithRateLimitWaitHook(fn func(until time.Time)) Option {
	return func(o *options) error { o.onWait = fn; return nil }
}

// WithUserAgent appends s to the SDK's own User-Agent.
func WithUserAgent(s string) Option {
	return func(o *options) error { o.userAgent = s; return nil }
}

// settings is the resolved configuration New builds a Client from.
type settings struct {
	cloudName, apiKey, apiSecret, oauthToken string
	baseURL                                  *url.URL
	timeout                                  time.Duration
}

// checkPrintable rejects a credential with a control character: it can
// never work (net/http refuses such header values and such paths), and
// failing here says so once instead of as a network error on every call.
func checkPrintable(field, value string) error {
	for _, r := range value {
		if unicode.IsControl(r) {
			return configError("%s holds a control character (%s); check for a stray newline", field, strconv.QuoteRune(r))
		}
	}
	return nil
}

func resolve(o *options) (settings, error) {
	var s settings
	raw := o.cloudinaryURL
	source := "WithCloudinaryURL"
	if raw == "" {
		raw, source = os.Getenv("CLOUDINARY_URL"), "CLOUDINARY_URL"
	}
	var fromURL cldurl.URL
	if raw != "" {
		var err error
		if fromURL, err = cldurl.Parse(raw); err != nil {
			return s, configError("%v", err)
		}
	}
	if raw == "" && o.cloudName == "" && o.apiKey == "" && o.apiSecret == "" && o.oauthToken == "" {
		return s, configError("no credentials: set CLOUDINARY_URL=%s, or pass WithCloudName with WithAPIKey and WithAPISecret (or WithOAuthToken)", cldurl.Form)
	}
	s.cloudName = firstNonEmpty(o.cloudName, fromURL.CloudName)
	s.apiKey = firstNonEmpty(o.apiKey, fromURL.APIKey)
	s.apiSecret = firstNonEmpty(o.apiSecret, fromURL.APISecret)
	s.oauthToken = firstNonEmpty(o.oauthToken, fromURL.OAuthToken)
	if o.oauthToken == "" && (o.apiKey != "" || o.apiSecret != "") {
		// Credentials given in code, of either kind, win over the
		// environment's: an explicit key and secret are not overruled by
		// a token that CLOUDINARY_URL happens to carry.
		s.oauthToken = ""
	}

	for _, f := range []struct{ name, value string }{
		{"the cloud name", s.cloudName}, {"the API key", s.apiKey}, {"the API secret", s.apiSecret}, {"the OAuth token", s.oauthToken},
	} {
		if err := checkPrintable(f.name, f.value); err != nil {
			return s, err
		}
	}

	hint := "WithCloudName or the cloud name in " + source
	switch {
	case s.cloudName == "":
		return s, configError("missing cloud name (%s)", hint)
	case s.cloudName == "." || s.cloudName == ".." || strings.ContainsAny(s.cloudName, "/?#@: \t\\%"):
		// A cloud name is one path segment of every call: characters
		// that would split or end it are a mistake in the URL, not a name.
		// Not echoed: a URL split at the wrong place can put the secret here.
		return s, configError("the cloud name is not valid: it must be one path segment, without '/', '?', '#', '@', ':', '%%', '\\' or spaces (check the format %s)", cldurl.Form)
	case s.oauthToken == "" && s.apiKey == "":
		return s, configError("missing API key (WithAPIKey, WithOAuthToken, or %s)", cldurl.Form)
	case s.oauthToken == "" && s.apiSecret == "":
		return s, configError("missing API secret (WithAPISecret, WithOAuthToken, or %s)", cldurl.Form)
	case s.oauthToken == "" && strings.Contains(s.apiKey, ":"):
		// Basic auth joins key and secret with ':', so the server would
		// read a different key: every call would fail with 401.
		return s, configError("the API key holds ':', which HTTP Basic auth cannot carry; check the key (in %s, ':' separates the key from the secret)", cldurl.Form)
	}

	base, err := parseBaseURL(firstNonEmpty(o.baseURL, fromURL.UploadPrefix, DefaultBaseURL))
	if err != nil {
		return s, err
	}
	s.baseURL = base

	s.timeout = DefaultTimeout
	switch {
	case o.timeout != nil:
		s.timeout = *o.timeout
	case fromURL.Timeout != nil:
		s.timeout = *fromURL.Timeout
	}
	return s, nil
}

// parseBaseURL accepts https anywhere and http only on loopback, where
// credentials in clear text never leave the machine.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := cldurl.BaseURL(raw)
	if err != nil {
		return nil, configError("%v", err)
	}
	return u, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
