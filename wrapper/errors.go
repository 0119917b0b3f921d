package wrapper

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sentinel errors, matched with errors.Is. An *APIError matches the one for
// its status code; other errors wrap the one that describes them.
var (
	ErrValidation        = errors.New("people: request rejected as invalid")               // 400
	ErrAuthentication    = errors.New("people: authentication failed")                     // 401
	ErrFeatureNotEnabled = errors.New("people: People Search is not enabled")              // 403
	ErrNotFound          = errors.New("people: not found")                                 // 404
	ErrRateLimited       = errors.New("people: rate limited")                              // 420, 429
	ErrServer            = errors.New("people: server error")                              // 5xx
	ErrNetwork           = errors.New("people: network error")                             // no response
	ErrInvalidInput      = errors.New("people: invalid input")                             // nothing sent
	ErrConfig            = errors.New("people: invalid configuration")                     // New failed
	ErrRepeatedCursor    = errors.New("people: server repeated a pagination cursor")       // AllPeople stopped a loop
	ErrMalformedResponse = errors.New("people: malformed response")                        // a 2xx body that does not decode
	ErrResponseTooLarge  = errors.New("people: response body larger than the SDK accepts") // see maxBodyBytes
)

// APIError is an answer from the server with a status outside 2xx.
type APIError struct {
	StatusCode int
	Message    string // from {"error":{"message"}}, else a readable fallback
	Body       []byte // raw response body (at most maxErrorBodyBytes)
	RateLimit  RateLimit
}

func (e *APIError) Error() string {
	return fmt.Sprintf("people: HTTP %d: %s", e.StatusCode, e.Message)
}

// Is makes errors.Is(err, ErrNotFound) and friends work for API errors.
func (e *APIError) Is(target error) bool {
	switch code := e.StatusCode; target {
	case ErrValidation:
		return code == http.StatusBadRequest
	case ErrAuthentication:
		return code == http.StatusUnauthorized
	case ErrFeatureNotEnabled:
		return code == http.StatusForbidden
	case ErrNotFound:
		return code == http.StatusNotFound
	case ErrRateLimited:
		return code == statusEnhanceYourCalm || code == http.StatusTooManyRequests
	case ErrServer:
		return code >= 500 && code <= 599
	}
	return false
}

// statusEnhanceYourCalm is Cloudinary's own rate-limit status.
const statusEnhanceYourCalm = 420

func newAPIError(status int, header http.Header, body []byte) *APIError {
	return &APIError{
		StatusCode: status,
		Message:    errorMessage(status, header.Get("Content-Type"), body),
		Body:       body,
		RateLimit:  parseRateLimit(header),
	}
}

// errorMessage prefers the API's {"error":{"message"}}; proxies answer HTML
// or nothing, and then the status text is the most useful thing to show.
func errorMessage(status int, contentType string, body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil {
		if m := strings.TrimSpace(e.Error.Message); m != "" {
			return truncate(m, 500)
		}
	}
	text := http.StatusText(status)
	switch {
	case status == statusEnhanceYourCalm:
		text = "Rate limited"
	case text == "":
		text = "Unexpected status"
	}
	switch {
	case len(body) == 0:
		return text + " (empty body)"
	case strings.Contains(contentType, "html") || strings.HasPrefix(strings.TrimSpace(string(body[:min(len(body), 64)])), "<"):
		return text + " (HTML body, probably from a proxy)"
	default:
		return text + " (no error message in the body)"
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func invalidInput(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, args...)...)
}

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
