package wrapper

import (
	"encoding/base64"
	"net/http"
)

// How a Client's requests travel: the Authorization header, the redirect
// policy and the tuned transport.

// authorizer returns the closure that holds the precomputed header value.
// The value slice is shared by every request, which saves an allocation a
// call; nothing in net/http writes to a request's header values.
func authorizer(value string) func(http.Header) {
	values := []string{value}
	return func(h http.Header) { h["Authorization"] = values }
}

func basicAuth(key, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
}

// maxRedirects bounds same-host redirects, as net/http's default does.
const maxRedirects = 10

// sameOrigin refuses redirects that leave the configured host: the API
// never redirects, and a redirect elsewhere must not carry credentials. A
// redirect back to a URL already visited, or too many of them, is
// ErrRedirectLoop.
func sameOrigin(previous func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
			return http.ErrUseLastResponse
		}
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return fail(ErrRedirectLoop, nil, "%s %s redirects back to itself", req.Method, req.URL.EscapedPath())
			}
		}
		if previous != nil {
			return previous(req, via)
		}
		if len(via) >= maxRedirects {
			return fail(ErrRedirectLoop, nil, "stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// newTransport is http.DefaultTransport with room for parallel callers:
// Go keeps only 2 idle connections per host by default, so 64 goroutines
// on one Client would keep opening and closing connections.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}
