// Package cldurl reads and writes CLOUDINARY_URL and checks API base URLs,
// once for the whole module: the wrapper, the contract kit and peoplemock
// must agree on where a URL's secret ends and on which hosts may receive
// credentials.
//
// The parser works by hand rather than with net/url.Parse, for two
// reasons: a secret holding unescaped '/', '#', '@' or '?' must still split
// where its owner meant, and no error may echo the URL, which holds the
// secret (net/url's errors quote their input).
package cldurl

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// Form is how a CLOUDINARY_URL looks, for error messages.
const Form = "cloudinary://<api_key>:<api_secret>@<cloud_name>"

// URL is what a CLOUDINARY_URL holds.
type URL struct {
	CloudName, APIKey, APISecret string
	UploadPrefix, OAuthToken     string
	Timeout                      *time.Duration // nil when the URL sets none
}

// String formats u with every part escaped, so that Parse reads it back
// whatever its secret holds.
func (u URL) String() string {
	var b strings.Builder
	b.WriteString("cloudinary://")
	if u.APIKey != "" || u.APISecret != "" {
		b.WriteString(escape(u.APIKey))
		b.WriteByte(':')
		b.WriteString(escape(u.APISecret))
		b.WriteByte('@')
	}
	b.WriteString(escape(u.CloudName))
	sep := byte('?')
	param := func(key, value string) {
		b.WriteByte(sep)
		b.WriteString(key)
		b.WriteByte('=')
		// ':' and '/' may stand in a query as they are, which keeps an
		// upload_prefix readable: ?upload_prefix=http://127.0.0.1:8080.
		b.WriteString(strings.NewReplacer("%3A", ":", "%2F", "/").Replace(url.QueryEscape(value)))
		sep = '&'
	}
	if u.UploadPrefix != "" {
		param("upload_prefix", u.UploadPrefix)
	}
	if u.OAuthToken != "" {
		param("oauth_token", u.OAuthToken)
	}
	if u.Timeout != nil {
		param("timeout", strconv.FormatFloat(u.Timeout.Seconds(), 'f', -1, 64))
	}
	return b.String()
}

// escape percent-encodes everything but unreserved characters, so that
// no ':', '@', '/', '?' or '#' of a credential can be read as a separator.
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// Parse reads cloudinary://key:secret@cloud?query. Its errors never hold
// the secret or the URL.
func Parse(raw string) (URL, error) {
	var out URL
	raw = strings.TrimSpace(raw)
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !strings.EqualFold(scheme, "cloudinary") {
		if ok && len(scheme) < 20 && !strings.ContainsAny(scheme, "@:/") {
			return out, fmt.Errorf("CLOUDINARY_URL has scheme %q; it must look like %s", scheme, Form)
		}
		return out, fmt.Errorf("CLOUDINARY_URL must look like %s", Form)
	}
	userinfo, host, ambiguous := splitUserinfo(rest)
	if ambiguous {
		return out, fmt.Errorf("CLOUDINARY_URL can be read in more than one way: its secret seems to hold an unencoded '@' or '?'; percent-encode the secret ('@' as %%40, '?' as %%3F) in %s", Form)
	}
	host, query, _ := strings.Cut(host, "?")
	host = strings.TrimSuffix(host, "/")
	if userinfo != "" {
		key, secret, _ := strings.Cut(userinfo, ":")
		var err error
		if out.APIKey, err = url.PathUnescape(key); err != nil {
			return out, errors.New("CLOUDINARY_URL: the API key is not validly percent-encoded")
		}
		if out.APISecret, err = url.PathUnescape(secret); err != nil {
			return out, errors.New("CLOUDINARY_URL: the API secret is not validly percent-encoded")
		}
	}
	name, err := url.PathUnescape(host)
	if err != nil {
		return out, errors.New("CLOUDINARY_URL: the cloud name is not validly percent-encoded")
	}
	out.CloudName = name
	if query == "" {
		return out, nil
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return out, errors.New("CLOUDINARY_URL: its query string is not valid")
	}
	out.UploadPrefix = q.Get("upload_prefix")
	out.OAuthToken = q.Get("oauth_token")
	if t := q.Get("timeout"); t != "" {
		secs, err := strconv.ParseFloat(t, 64)
		if err != nil || secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) || secs > 86400 {
			// Not echoed: a URL split at the wrong place puts part of the
			// secret here.
			return out, errors.New("CLOUDINARY_URL: timeout is not a number of seconds up to 86400")
		}
		d := time.Duration(secs * float64(time.Second))
		out.Timeout = &d
	}
	return out, nil
}

// splitUserinfo separates key:secret from cloud?query.
//
// An unescaped secret may hold '@' and '?', and the query may hold '@'
// (oauth_token=a@b, upload_prefix=https://u@host), so an '@' is only a
// candidate separator: the API key before it holds none of '/', '?', '#',
// and the cloud name after it holds no further '@'. Of the candidates, the
// first whose remainder is a plausible query (empty, or key=value pairs
// with word keys) wins: "k:Zx8@q9?7Rk@cloud" splits before "cloud", since
// "7Rk@cloud" is no query. Without a plausible candidate the last one wins.
//
// The split is ambiguous when a later '@' would give a plausible split too
// and stands where a secret's could: in the value of a query key other than
// oauth_token and upload_prefix (whose values may hold '@'), before any
// '/'. "k:Zx8@q9?a=1@cloud" may be the cloud "q9" with a=1@cloud, or the
// cloud "cloud" with the secret "Zx8@q9?a=1"; guessing would send part of
// the secret as a cloud name, so it is refused.
func splitUserinfo(rest string) (userinfo, host string, ambiguous bool) {
	last, chosen := -1, -1
	for i := 0; i < len(rest); i++ {
		if rest[i] != '@' {
			continue
		}
		key, _, _ := strings.Cut(rest[:i], ":")
		if strings.ContainsAny(key, "/?#") {
			break
		}
		after := rest[i+1:]
		end := strings.IndexAny(after, "/?#")
		if end < 0 {
			end = len(after)
		}
		if strings.Contains(after[:end], "@") {
			continue
		}
		if !plausibleQuery(after[end:]) {
			last = i
			continue
		}
		if chosen < 0 {
			chosen = i
			continue
		}
		if secretLike(rest[chosen+1 : i]) {
			return "", "", true
		}
	}
	switch {
	case chosen >= 0:
		return rest[:chosen], rest[chosen+1:], false
	case last >= 0:
		return rest[:last], rest[last+1:], false
	}
	return "", rest, false
}

// secretLike: an '@' ending hostAndQuery (a cloud name and a query up to
// that '@') could end a secret instead: it stands in the value of a key
// whose values do not hold '@', before any '/'.
func secretLike(hostAndQuery string) bool {
	_, query, ok := strings.Cut(hostAndQuery, "?")
	if !ok {
		return false
	}
	pairs := strings.Split(query, "&")
	key, value, _ := strings.Cut(pairs[len(pairs)-1], "=")
	if key == "oauth_token" || key == "upload_prefix" {
		return false
	}
	return !strings.Contains(value, "/")
}

// plausibleQuery: what follows a cloud name in a real CLOUDINARY_URL, an
// optional '/' and then nothing or ?key=value&... with word keys.
func plausibleQuery(s string) bool {
	s = strings.TrimPrefix(s, "/")
	if s == "" {
		return true
	}
	if s[0] != '?' {
		return false
	}
	for _, pair := range strings.Split(s[1:], "&") {
		key, _, ok := strings.Cut(pair, "=")
		if !ok || key == "" {
			return false
		}
		for _, c := range key {
			if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// BaseURL checks an API base URL: https anywhere, plain http only on a
// loopback host, where credentials in clear text never leave the machine.
func BaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, errors.New("base URL must look like https://api.cloudinary.com")
	}
	if u.User != nil {
		return nil, errors.New("base URL must not contain credentials")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("base URL must not have a query or fragment")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base URL %s://%s sends credentials in clear text; use https (http is allowed only for loopback hosts)", u.Scheme, u.Host)
		}
	default:
		return nil, fmt.Errorf("base URL scheme %q: want https", apirules.Cut(u.Scheme, 20))
	}
	return u, nil
}

// IsLoopback: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
