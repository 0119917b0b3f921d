// Package redact replaces known secrets in text, wherever they stand: the
// one rule by which the client scrubs what a server echoes into an error,
// and the contract kit scrubs what it records, lists and logs. Redaction
// by name (a header called X-Api-Key) misses a secret under a name no one
// foresaw; redaction by value cannot.
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// Placeholder stands where a secret was.
const Placeholder = "[redacted]"

// minLen is the shortest value worth redacting: shorter ones would redact
// ordinary text.
const minLen = 4

// Scrubber replaces a set of secrets. The zero value, and a nil one,
// replace nothing.
type Scrubber struct {
	olds [][]byte // longest first
}

// New returns a Scrubber of secrets in every form they travel in: as
// they are, URL-escaped (query and path), JSON-escaped, and as the
// base64 of key:secret pairs given with [Basic].
func New(secrets ...string) *Scrubber {
	s := &Scrubber{}
	for _, v := range secrets {
		quoted, _ := json.Marshal(v)
		inJSON := string(quoted[1 : len(quoted)-1])
		// JSON as Go writes it, and as encoders that escape '/' do.
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v), inJSON, strings.ReplaceAll(inJSON, "/", `\/`)} {
			if len(form) >= minLen && !slices.ContainsFunc(s.olds, func(o []byte) bool { return string(o) == form }) {
				s.olds = append(s.olds, []byte(form))
			}
		}
	}
	// Longest first, so that a secret inside a longer credential (an
	// Authorization value) does not leave the rest of it behind.
	slices.SortFunc(s.olds, func(a, b []byte) int { return len(b) - len(a) })
	return s
}

// Basic is the forms of HTTP Basic credentials worth redacting: the
// secret, and the base64 of key:secret (a header value keeps its scheme:
// "Basic [redacted]").
func Basic(key, secret string) []string {
	return []string{secret, base64.StdEncoding.EncodeToString([]byte(key + ":" + secret))}
}

// FromAuthorization is the secrets an Authorization header value carries:
// a Bearer token, or a Basic pair's secret and encoding.
func FromAuthorization(value string) []string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(value), " ")
	if !ok {
		return []string{value}
	}
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return []string{cred}
		}
		key, secret, _ := strings.Cut(string(raw), ":")
		return Basic(key, secret)
	default:
		return []string{cred}
	}
}

// Bytes returns b with every secret replaced; b itself when none occurs.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s == nil {
		return b
	}
	for _, o := range s.olds {
		if bytes.Contains(b, o) {
			b = bytes.ReplaceAll(b, o, []byte(Placeholder))
		}
	}
	return b
}

// String returns v with every secret replaced.
func (s *Scrubber) String(v string) string {
	if s == nil {
		return v
	}
	for _, o := range s.olds {
		if strings.Contains(v, string(o)) {
			v = strings.ReplaceAll(v, string(o), Placeholder)
		}
	}
	return v
}

// Empty reports whether s replaces nothing.
func (s *Scrubber) Empty() bool { return s == nil || len(s.olds) == 0 }
