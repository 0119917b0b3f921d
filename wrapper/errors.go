package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// Sentinel errors, matched with errors.Is. An [*APIError] matches the one for
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
	ErrRepeatedCursor    = errors.New("people: server repeated a pagination cursor")       // Pages (and AllPeople) stopped a loop
	ErrMalformedResponse = errors.New("people: malformed response")                        // a 2xx body that does not decode
	ErrResponseTooLarge  = errors.New("people: response body larger than the SDK accepts") // see MaxBodyBytes
	ErrRedirectLoop      = errors.New("people: redirect loop")                             // the server kept redirecting
	ErrEmptyPages        = errors.New("people: too many empty pages in a row")             // see MaxEmptyPages
	// ErrUnexpectedStatus is an answer whose status has no sentinel of its
	// own: a redirect the client did not follow, 405, 409, 422 and the
	// like. The API documents none of them for the people operations.
	ErrUnexpectedStatus = errors.New("people: unexpected HTTP status")
)

// failure is an error of one of the kinds above. Its text carries the
// "people: " prefix once, however deep it is wrapped by this package.
type failure struct {
	kind  error
	text  string // without the prefix
	cause error
}

func (f *failure) Error() string   { return "people: " + f.text }
func (f *failure) Is(t error) bool { return t == f.kind }
func (f *failure) Unwrap() error   { return f.cause }

// fail builds a failure of kind; its text starts with the kind's own words.
func fail(kind, cause error, format string, args ...any) error {
	text := bare(kind)
	if format != "" {
		text += ": " + fmt.Sprintf(format, args...)
	}
	return &failure{kind: kind, text: text, cause: cause}
}

// opError names the operation that failed: "people: GetPerson: ...".
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return "people: " + e.op + ": " + bare(e.err) }
func (e *opError) Unwrap() error { return e.err }

func withOp(op string, err error) error {
	if err == nil {
		return nil
	}
	return &opError{op: op, err: err}
}

// bare is err's text without this package's prefix, for nesting it in
// another of this package's errors.
func bare(err error) string {
	return strings.TrimPrefix(err.Error(), "people: ")
}

// StatusEnhanceYourCalm is the status Cloudinary answers when the hourly
// allowance is used up (as well as the standard 429); net/http has no name
// for it. Both match [ErrRateLimited].
const StatusEnhanceYourCalm = apirules.StatusEnhanceYourCalm

// APIError is an answer from the server with a status outside 2xx.
type APIError struct {
	StatusCode int
	Message    string // from {"error":{"message"}}, else a readable fallback
	Body       []byte // raw response body (at most MaxErrorBodyBytes)
	RateLimit  RateLimit
	// Attempts is how many times the call was sent, retries included; 0
	// when unknown (an APIError not made by a Client's call).
	Attempts int
}

func (e *APIError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("people: HTTP %d: %s (after %d attempts)", e.StatusCode, e.Message, e.Attempts)
	}
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
		return apirules.RateLimited(code)
	case ErrServer:
		return code >= 500 && code <= 599
	case ErrUnexpectedStatus:
		return !hasSentinel(code)
	}
	return false
}

// hasSentinel: a status one of the sentinels above names.
func hasSentinel(code int) bool {
	switch code {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return apirules.RateLimited(code) || code >= 500 && code <= 599
}

func newAPIError(status int, header http.Header, body []byte, rl RateLimit) *APIError {
	return &APIError{
		StatusCode: status,
		Message:    errorMessage(status, header.Get("Content-Type"), body),
		Body:       body,
		RateLimit:  rl,
	}
}

// errorMessage prefers the API's {"error":{"message"}}; proxies answer HTML
// or nothing, and then the status text is the most useful thing to show.
func errorMessage(status int, contentType string, body []byte) string {
	if m := apirules.ErrorMessage(body); m != "" {
		return apirules.Cut(apirules.Printable(m), 500)
	}
	text := http.StatusText(status)
	switch {
	case status == apirules.StatusEnhanceYourCalm:
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

func invalidInput(format string, args ...any) error {
	return fail(ErrInvalidInput, nil, format, args...)
}

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
