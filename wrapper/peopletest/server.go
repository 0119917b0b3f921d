package peopletest

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// Default credentials of a fake server.
const (
	DefaultCloudName = "demo-cloud"
	DefaultAPIKey    = "123456789012345"
	DefaultAPISecret = "fake-secret-Zx8_q9"
)

// TB is the part of testing.TB the server uses; *testing.T and *testing.B
// satisfy it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Server is a running fake People API.
type Server struct {
	URL       string // base URL, for wrapper.WithBaseURL
	CloudName string
	APIKey    string
	APISecret string
	// OAuthToken, when set, is accepted as a Bearer token too.
	OAuthToken string

	t         TB
	srv       *httptest.Server
	store     *fakestore.Store
	v         *contract.Validator
	validate  bool
	api       http.Handler // the generated strict server over store
	control   http.Handler // nil without WithControlAPI
	faults    faultQueue
	log       contract.Log
	allowance allowance
	onViolate func(*ContractError)
	onDrift   func(Drift)
	seed      fakestore.Seed // the starting data, for Reset
	seedFaces map[string]string
	// scrub replaces the fake's own credentials wherever a call carries
	// them (an X-Api-Pass header, a sig= parameter, a Referer's userinfo),
	// so that the request log never holds them.
	scrub *redact.Scrubber
}

// NewServer starts a fake People API. With a non-nil t, the server closes
// when the test ends and every contract violation fails the test (except
// those of answers a Fault injected on purpose); with a nil t (a demo
// program, say) violations are printed to stderr (or given to
// [OnViolation]) and kept in Violations. Close it when done. How its
// cursors behave while people change mid-walk is in
// docs/contract-testing.md.
func NewServer(t TB, opts ...Option) *Server {
	if t != nil {
		t.Helper()
	}
	c := &config{
		faces: map[string]string{}, cloudName: DefaultCloudName, apiKey: DefaultAPIKey, apiSecret: DefaultAPISecret,
		validate: true, rateLimit: 500,
		allow: func(string, string) bool { return true },
	}
	for _, o := range opts {
		if o != nil { // as NewProxy and ValidatingTransport do
			o.applyServer(c)
		}
	}
	v, err := contract.NewValidator()
	if err != nil {
		fatal(t, "%v", err)
		panic(err)
	}
	s := &Server{
		CloudName: c.cloudName, APIKey: c.apiKey, APISecret: c.apiSecret, OAuthToken: c.oauthToken,
		t: t, v: v, validate: c.validate, onViolate: c.onViolate, onDrift: c.onDrift,
	}
	s.scrub = redact.New(append(redact.Basic(c.apiKey, c.apiSecret), c.oauthToken, "Bearer "+c.oauthToken)...)
	s.allowance.limit = max(c.rateLimit, 0)
	s.allowance.hour = cmp.Or(max(c.hour, 0), time.Hour)
	s.allowance.enforce = c.enforce
	if !c.enforce {
		s.allowance.limit = max(c.rateLimit, 1)
	}
	s.seed = seedFrom(c)
	s.seedFaces = c.faces
	s.store = fakestore.New(v.QueryDefault("listPeople", "max_results"), c.allow)
	s.store.Load(s.seed, s.seedFaces)

	s.api = server.HandlerWithOptions(
		server.NewStrictHandlerWithOptions(s.store, nil, server.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  s.badRequest,
			ResponseErrorHandlerFunc: serverError,
		}),
		server.StdHTTPServerOptions{BaseRouter: http.NewServeMux(), ErrorHandlerFunc: s.badRequest},
	)
	if c.control {
		s.control = s.ControlHandler()
	}
	s.srv = httptest.NewUnstartedServer(s)
	if c.listener != nil {
		s.srv.Listener.Close()
		s.srv.Listener = c.listener
	}
	s.srv.Start()
	s.URL = s.srv.URL
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// ServeHTTP serves the People API, and the control API when the server
// has one. Every path reaches the fake's own routing: Go's ServeMux would
// answer a path holding "//" or ".." with a redirect before the call was
// counted or checked.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.control != nil && strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.control.ServeHTTP(w, r)
		return
	}
	s.serveAPI(w, r)
}

// Close shuts the server down, closing open connections.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// CloudinaryURL is the CLOUDINARY_URL that points a client at this server.
func (s *Server) CloudinaryURL() string {
	return cldurl.URL{CloudName: s.CloudName, APIKey: s.APIKey, APISecret: s.APISecret, UploadPrefix: s.URL}.String()
}

// Client returns a wrapper.Client configured for this server; opts are
// applied after the server's own and win.
func (s *Server) Client(opts ...wrapper.Option) *wrapper.Client {
	base := []wrapper.Option{
		wrapper.WithCloudName(s.CloudName), wrapper.WithAPIKey(s.APIKey), wrapper.WithAPISecret(s.APISecret),
		wrapper.WithBaseURL(s.URL),
	}
	c, err := wrapper.New(append(base, opts...)...)
	if err != nil {
		fatal(s.t, "peopletest: building a client for the fake server: %v", err)
		panic(err)
	}
	return c
}

// Requests returns the calls received since the start or the last Reset,
// oldest first: the first 10,000, with at most 64 KiB of each body and
// 32 MiB of bodies in all. Credentials are recorded redacted, as
// [Request.Redacted] describes: an Authorization header keeps its scheme
// ("Basic [redacted]").
func (s *Server) Requests() []Request { return s.log.Requests() }

// RequestCount is the number of calls received since the start or the
// last Reset, including faulted ones.
func (s *Server) RequestCount() int { return s.log.Calls() }

// Totals counts the calls, violations and drift findings since the server
// started; Reset does not clear it.
func (s *Server) Totals() Totals { return s.log.AllTotals() }

// Violations returns the contract violations seen since the start or the
// last Reset (the first 1,000), as text.
func (s *Server) Violations() []string { return s.log.Violations() }

// ContractErrors returns the violations seen since the start or the last
// Reset (the first 1,000), as values.
func (s *Server) ContractErrors() []ContractError { return s.log.Errors() }

// Drift returns the distinct drift findings since the start or the last
// Reset (the first 1,000).
func (s *Server) Drift() []Drift { return s.log.Drift() }

// Reset restores the starting data and forgets queued faults, recorded
// requests, violations and drift; RequestCount starts again from 0. A call
// in flight during the reset adds nothing to the new lists. Totals keeps
// counting.
func (s *Server) Reset() {
	s.store.Load(s.seed, s.seedFaces)
	s.faults.clear()
	s.log.Reset()
}

// PeopleCount is how many people the server holds.
func (s *Server) PeopleCount() int { return s.store.Len() }

// Person returns the server's current state of a person.
func (s *Server) Person(id string) (wrapper.Person, bool) {
	d, ok := s.store.Person(id)
	if !ok {
		return wrapper.Person{}, false
	}
	return person(d), true
}

// People returns every person on the server, in name order.
func (s *Server) People() []wrapper.Person {
	all := s.store.All()
	out := make([]wrapper.Person, len(all))
	for i := range all {
		out[i] = person(all[i])
	}
	return out
}

// fatal stops the test, when there is one.
func fatal(t TB, format string, args ...any) {
	if t != nil {
		t.Helper()
		t.Fatalf(format, args...)
	}
}
