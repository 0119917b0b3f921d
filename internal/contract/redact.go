package contract

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// RecordedRequest is a received call as the control API shows it, with
// credentials redacted (see [Request.Redacted]).
type RecordedRequest struct {
	Seq           int                 `json:"seq"`
	Time          time.Time           `json:"time"`
	Method        string              `json:"method"`
	Path          string              `json:"path"`
	Query         map[string][]string `json:"query,omitempty"`
	Header        map[string][]string `json:"header,omitempty"`
	Body          string              `json:"body,omitempty"`
	BodyTruncated bool                `json:"body_truncated,omitempty"`
	Status        int                 `json:"status,omitempty"` // the status answered; absent while answering or when none was sent
}

// Redacted returns r as the control API shows it. Authorization keeps only
// a known scheme ("Basic [redacted]"); any other value, and every header
// or query parameter whose name speaks of a credential (Cookie, X-Api-Key,
// api_secret, oauth_token, …), is replaced by "[redacted]".
func (r Request) Redacted() RecordedRequest {
	c := r.redacted()
	return RecordedRequest{
		Seq: c.Seq, Time: c.Time, Method: c.Method, Path: c.Path,
		Query: c.Query, Header: c.Header, Body: string(c.Body), BodyTruncated: c.BodyTruncated, Status: c.Status,
	}
}

func (r Request) redacted() Request {
	c := r
	c.Header = redactHeader(r.Header)
	c.Query = redactQuery(r.Query)
	return c
}

const redactedValue = "[redacted]"

// knownSchemes are the Authorization schemes whose name is safe to show.
var knownSchemes = map[string]string{"basic": "Basic", "bearer": "Bearer", "digest": "Digest", "negotiate": "Negotiate"}

func redactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		lower := strings.ToLower(name)
		switch {
		case lower == "authorization" || lower == "proxy-authorization":
			kept := make([]string, len(values))
			for i, v := range values {
				kept[i] = redactedValue
				if scheme, _, ok := strings.Cut(v, " "); ok {
					if known, ok := knownSchemes[strings.ToLower(scheme)]; ok {
						kept[i] = known + " " + redactedValue
					}
				}
			}
			out[name] = kept
		case isCredentialName(lower):
			out[name] = redactAll(values)
		default:
			out[name] = append([]string(nil), values...)
		}
	}
	return out
}

func redactQuery(q url.Values) url.Values {
	if q == nil {
		return nil
	}
	out := make(url.Values, len(q))
	for name, values := range q {
		if isCredentialName(strings.ToLower(name)) {
			out[name] = redactAll(values)
			continue
		}
		out[name] = append([]string(nil), values...)
	}
	return out
}

// isCredentialName: a header or parameter name (lower case) that may
// carry a secret. It errs on the side of hiding: a log loses little by a
// header too many redacted. Redaction by value (internal/redact) catches
// the fake's and the caller's own credentials under any name.
func isCredentialName(name string) bool {
	for _, word := range []string{"auth", "cookie", "secret", "token", "key", "pass", "pwd", "sig", "session", "credential", "private", "access"} {
		if strings.Contains(name, word) {
			return true
		}
	}
	return false
}

func redactAll(values []string) []string {
	out := make([]string, len(values))
	for i := range out {
		out[i] = redactedValue
	}
	return out
}
