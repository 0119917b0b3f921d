// Package apirules is the one home of the rules that the client, the
// contract kit and the spec-to-wrapper check share about the People API's
// answers and about showing what a server sent: which statuses limit the
// rate, which may be retried, which methods may be sent again, how an
// error message is found in a body, and how text from a server is cut and
// made safe to print. Each rule is written here once, so the copies cannot
// disagree.
package apirules

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// StatusEnhanceYourCalm is the status Cloudinary's Admin API answers when
// the hourly allowance is used up; net/http has no name for it.
const StatusEnhanceYourCalm = 420

// RateLimitStatuses are the statuses that say the allowance is used up:
// Cloudinary's own 420 and the standard 429.
var RateLimitStatuses = []int{StatusEnhanceYourCalm, http.StatusTooManyRequests}

// RateLimited: code says the allowance is used up.
func RateLimited(code int) bool {
	return code == StatusEnhanceYourCalm || code == http.StatusTooManyRequests
}

// Retryable: an answer with code may come out otherwise if the same call
// is sent again: a rate limit once it lifts, a server error or a proxy's
// bad gateway, unavailable service or timeout.
func Retryable(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return RateLimited(code)
}

// Idempotent: sending a request of this method twice has the effect of
// sending it once (RFC 9110, 9.2.2), so a client may send it again after a
// failure. DELETE is idempotent; the People API has none. POST is not,
// unless the spec marks the operation read-only (x-read-only), as it does
// the inspect POST: see ReadOnly.
func Idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// ReadOnly: a call of this method changes nothing: the safe methods (RFC
// 9110, 9.2.1), or an operation the spec marks x-read-only. Only such calls
// may go to the live API without the caller's leave to write.
func ReadOnly(method string, markedReadOnly bool) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return markedReadOnly
}

// ErrorMessage is the API's {"error":{"message"}} in body, trimmed, or ""
// when the body has none.
func ErrorMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return strings.TrimSpace(e.Error.Message)
}

// Cut shortens s to at most n bytes, on a rune boundary, marking the cut
// with "…".
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Printable writes control characters (newline, ESC, C1 codes), the
// Unicode line separators and invalid UTF-8 as Go escapes, so that text a
// server chose cannot forge log lines, break a header or drive a terminal
// when printed.
func Printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || breaksLines(r) }) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case breaksLines(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func breaksLines(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
