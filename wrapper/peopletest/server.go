// Package peopletest is a contract-testing kit for the People Search API, in
// the spirit of net/http/httptest.
//
// [NewServer] starts an in-process fake People API with real semantics
// (keyset cursor pagination, filters and sort orders, updates with the API's
// validation messages, permission inspection, 401, 404 and, with
// [Server.SetRateLimit], 420 answers) built on the server interface
// generated from openapi.yaml
// ([github.com/cldpeople/cloudinary-people-go/generated/server]). Every
// request it receives and every response it sends is validated against that
// same document; a violation fails the test with the rule that was broken.
// Faults ([Fault]: error statuses, Retry-After, HTML proxy pages, delays,
// dropped connections, raw bodies that break the contract) can be injected
// for the next calls.
//
// [ValidatingTransport] runs the same contract check inside any
// http.Client, so a test suite, or a run against a real account, proves
// that the traffic matches openapi.yaml; [Proxy] does it for clients in any
// language, and [Conformance] runs cases derived from the spec against any
// implementation. The program cmd/peoplemock serves the fake and the proxy
// outside Go.
package peopletest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/generated/server"
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

	t        TB
	srv      *httptest.Server
	store    *store
	v        *validator
	validate bool

	mu         sync.Mutex
	faults     []*queuedFault
	requests   []Request
	violations []string
	// contractErrors are the violations as values, for the control API.
	contractErrors []ContractError
	count          atomic.Int64
	allowance      allowance
	onViolate      func(*ContractError)
	seed           []generated.PersonDetails // the starting data, for Reset
	seedFaces      map[string]string
}

// Request is a call the server received.
type Request struct {
	Method string
	Path   string // escaped, as sent
	Query  url.Values
	Header http.Header
	Body   []byte
	Time   time.Time
	Seq    int // 1-based position among all calls received
}

// Option configures NewServer.
type Option func(*config)

type config struct {
	people     []wrapper.Person
	generate   int
	faces      map[string]string
	cloudName  string
	apiKey     string
	apiSecret  string
	oauthToken string
	validate   bool
	allow      func(personID, action string) bool
	rateLimit  int
	now        func() time.Time
	listener   net.Listener
	onViolate  func(*ContractError)
	control    bool
}

// WithPeople seeds the server with these people instead of the default
// cast. People without an ID get one.
func WithPeople(people ...wrapper.Person) Option {
	return func(c *config) { c.people = append(c.people, people...) }
}

// WithGeneratedPeople seeds n synthetic people (about one in four unnamed,
// one in ten hidden), for pagination and load tests.
func WithGeneratedPeople(n int) Option {
	return func(c *config) { c.generate = n }
}

// WithFace registers that assetID shows personID's face, so it can become
// their thumbnail through UpdatePerson.
func WithFace(personID, assetID string) Option {
	return func(c *config) { c.faces[assetID] = personID }
}

// WithCredentials sets the cloud name, API key and secret the server accepts.
func WithCredentials(cloudName, apiKey, apiSecret string) Option {
	return func(c *config) { c.cloudName, c.apiKey, c.apiSecret = cloudName, apiKey, apiSecret }
}

// WithOAuthToken makes the server accept this Bearer token as well.
func WithOAuthToken(token string) Option {
	return func(c *config) { c.oauthToken = token }
}

// WithPermissions decides the inspect answers; by default every action is
// allowed on every existing person.
func WithPermissions(allow func(personID, action string) bool) Option {
	return func(c *config) { c.allow = allow }
}

// WithRateLimit sets the hourly allowance the server reports (default 500).
// Calls count down X-FeatureRateLimit-Remaining; the fake refuses none for
// it unless [Server.SetRateLimit] says so, and starts a new hour when the
// allowance runs out.
func WithRateLimit(perHour int) Option {
	return func(c *config) { c.rateLimit = perHour }
}

// WithListener serves on l instead of a new loopback port, as
// cmd/peoplemock does for a fixed address.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithViolationHandler calls fn for each contract violation, in addition to
// recording it (and failing the test, when NewServer got a t). Without it
// and without a t, violations are printed to stderr.
func WithViolationHandler(fn func(*ContractError)) Option {
	return func(c *config) { c.onViolate = fn }
}

// WithControlAPI serves the control API under /_peoplemock/ (see
// [Server.ControlHandler]) next to the People API.
func WithControlAPI() Option {
	return func(c *config) { c.control = true }
}

// WithoutValidation turns off the contract check, for benchmarks that
// measure the client alone.
func WithoutValidation() Option {
	return func(c *config) { c.validate = false }
}

// NewServer starts a fake People API. With a non-nil t, the server closes
// when the test ends and every contract violation fails the test; with a nil
// t (a demo program, say) violations are printed to stderr (or given to
// [WithViolationHandler]) and kept in Violations. Close it when done.
//
// Its cursors are keyset cursors (the sort key and ID of a page's last
// person), so a person who is not changed during a walk is seen exactly
// once. One whose sort key moves past the cursor mid-walk is seen again, one
// whose key moves behind it is not, and one who stops matching the filters
// drops out.
func NewServer(t TB, opts ...Option) *Server {
	if t != nil {
		t.Helper()
	}
	c := &config{
		faces: map[string]string{}, cloudName: DefaultCloudName, apiKey: DefaultAPIKey, apiSecret: DefaultAPISecret,
		validate: true, rateLimit: 500, now: time.Now,
		allow: func(string, string) bool { return true },
	}
	for _, o := range opts {
		o(c)
	}
	v, err := newValidator()
	if err != nil {
		fail(t, "%v", err)
		panic(err)
	}
	s := &Server{
		CloudName: c.cloudName, APIKey: c.apiKey, APISecret: c.apiSecret, OAuthToken: c.oauthToken,
		t: t, v: v, validate: c.validate, onViolate: c.onViolate,
	}
	s.allowance.limit = max(c.rateLimit, 1)
	switch {
	case len(c.people) > 0:
		for i, p := range c.people {
			s.seed = append(s.seed, details(p, i))
		}
	case c.generate > 0:
		for i := range c.generate {
			s.seed = append(s.seed, synthetic(i))
		}
	default:
		s.seed = defaultPeople()
	}
	s.seedFaces = c.faces
	s.store = &store{now: c.now, allow: c.allow}
	s.store.load(s.seed, s.seedFaces)

	mux := http.NewServeMux()
	api := server.HandlerWithOptions(
		server.NewStrictHandlerWithOptions(s.store, nil, server.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  s.badRequest,
			ResponseErrorHandlerFunc: s.serverError,
		}),
		server.StdHTTPServerOptions{BaseRouter: mux, ErrorHandlerFunc: s.badRequest},
	)
	var handler http.Handler = s.middleware(api)
	if c.control {
		root := http.NewServeMux()
		root.Handle(controlPrefix, s.ControlHandler())
		root.Handle("/", handler)
		handler = root
	}
	s.srv = httptest.NewUnstartedServer(handler)
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

// Close shuts the server down, closing open connections.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// CloudinaryURL is the CLOUDINARY_URL that points a client at this server.
func (s *Server) CloudinaryURL() string {
	u := fmt.Sprintf("cloudinary://%s:%s@%s?upload_prefix=%s", url.PathEscape(s.APIKey), url.PathEscape(s.APISecret), s.CloudName, url.QueryEscape(s.URL))
	return u
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
		fail(s.t, "peopletest: building a client for the fake server: %v", err)
		panic(err)
	}
	return c
}

// Requests returns the calls received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestCount is the number of calls received, including faulted ones.
func (s *Server) RequestCount() int { return int(s.count.Load()) }

// Violations returns the contract violations seen so far.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Person returns the server's current state of a person.
func (s *Server) Person(id string) (wrapper.Person, bool) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	p, ok := s.store.people[id]
	if !ok {
		return wrapper.Person{}, false
	}
	return wrapper.PersonFromDetails(p), true
}

// People returns every person on the server, in name order.
func (s *Server) People() []wrapper.Person {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	ids := s.store.view(generated.ListPeopleParams{})
	out := make([]wrapper.Person, 0, len(ids))
	for _, id := range ids {
		out = append(out, wrapper.PersonFromDetails(s.store.people[id]))
	}
	return out
}

// maxRecorded bounds the request log, so long load tests do not grow it
// without end; RequestCount keeps the total.
const maxRecorded = 10000

// readRequestBody reads r's body, at most maxBodyBytes of it, and puts the
// bytes back for the handlers after; ok is false when it was cut or failed.
func readRequestBody(r *http.Request) (body []byte, ok bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	r.Body.Close()
	ok = err == nil && len(body) <= maxBodyBytes
	if !ok {
		body = body[:min(len(body), maxBodyBytes)]
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, ok
}

// record appends r, the n-th call, to log while it has room. Callers hold
// the lock that guards log.
func record(log []Request, r *http.Request, body []byte, n int) []Request {
	if len(log) >= maxRecorded {
		return log
	}
	return append(log, Request{
		Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(),
		Body: body, Time: time.Now(), Seq: n,
	})
}

func (s *Server) middleware(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.count.Add(1))
		body, _ := readRequestBody(r)
		s.mu.Lock()
		s.requests = record(s.requests, r, body, n)
		fault := s.nextFault()
		s.mu.Unlock()

		limit, retryAfter := s.allowance.take(time.Now())
		r = r.WithContext(context.WithValue(r.Context(), rateLimitKey{}, limit))

		var in *openapi3filter.RequestValidationInput
		if s.validate {
			var cerr *ContractError
			if in, cerr, _ = s.v.checkRequest(r.Context(), r); cerr != nil {
				s.violation(cerr)
			}
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK, rateLimit: limit}

		switch {
		case retryAfter > 0:
			extra := http.Header{"Retry-After": {strconv.Itoa(int(retryAfter.Seconds()))}}
			s.writeError(rec, 420, "Rate Limit Exceeded", extra)
		case fault != nil && fault.apply(s, w, r, rec, api):
		case !s.authorized(r):
			s.writeError(rec, http.StatusUnauthorized, "Invalid credentials", nil)
		default:
			api.ServeHTTP(rec, r)
		}
		if rec.hijacked {
			return
		}
		if s.validate && in != nil {
			if cerr := s.v.checkResponse(r.Context(), in, rec.status, rec.header, rec.body.Bytes()); cerr != nil {
				s.violation(cerr)
			}
		}
		rec.flush(w)
	})
}

func (s *Server) authorized(r *http.Request) bool {
	prefix := "/v1_1/" + s.CloudName + "/"
	if !strings.HasPrefix(r.URL.EscapedPath(), prefix) {
		return false
	}
	auth := r.Header.Get("Authorization")
	if s.OAuthToken != "" && auth == "Bearer "+s.OAuthToken {
		return true
	}
	key, secret, ok := r.BasicAuth()
	return ok && key == s.APIKey && secret == s.APISecret
}

func (s *Server) violation(err *ContractError) {
	s.mu.Lock()
	s.violations = append(s.violations, err.Error())
	s.contractErrors = append(s.contractErrors, *err)
	s.mu.Unlock()
	if s.onViolate != nil {
		s.onViolate(err)
	}
	switch {
	case s.t != nil:
		s.t.Errorf("%v", err)
	case s.onViolate == nil:
		fmt.Fprintln(os.Stderr, err)
	}
}

// Reset restores the starting data and forgets queued faults, recorded
// requests and violations; RequestCount starts again from 0.
func (s *Server) Reset() {
	s.store.load(s.seed, s.seedFaces)
	s.mu.Lock()
	s.faults, s.requests, s.violations, s.contractErrors = nil, nil, nil, nil
	s.count.Store(0)
	s.mu.Unlock()
}

func (s *Server) badRequest(w http.ResponseWriter, _ *http.Request, err error) {
	s.writeError(w, http.StatusBadRequest, err.Error(), nil)
}

func (s *Server) serverError(w http.ResponseWriter, _ *http.Request, err error) {
	s.writeError(w, http.StatusInternalServerError, "General Error: "+err.Error(), nil)
}

// writeError answers the API's JSON error body with the rate-limit headers
// every answer carries. w is the middleware's recorder, which holds them.
func (s *Server) writeError(w http.ResponseWriter, status int, msg string, extra http.Header) {
	var h server.ListPeople200ResponseHeaders
	if rec, ok := w.(*recorder); ok {
		h = rec.rateLimit
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-FeatureRateLimit-Limit", strconv.Itoa(h.XFeatureRateLimitLimit))
	w.Header().Set("X-FeatureRateLimit-Remaining", strconv.Itoa(h.XFeatureRateLimitRemaining))
	w.Header().Set("X-FeatureRateLimit-Reset", h.XFeatureRateLimitReset)
	for k, v := range extra {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(apiError(msg))
}

// SetRateLimit makes the server enforce its hourly allowance from now on:
// remaining calls are left until reset; once they are used up, every call
// answers 420 with Retry-After until reset passes, and then a new hour of
// the WithRateLimit allowance starts. Without it the fake counts calls down
// but never refuses one: when the allowance runs out, the hour ends at once
// (the answer says Remaining 0 with Reset now) and the next call starts a
// new one, so long tests are never held up.
func (s *Server) SetRateLimit(remaining int, reset time.Time) {
	s.allowance.mu.Lock()
	defer s.allowance.mu.Unlock()
	s.allowance.enforce = true
	s.allowance.remaining = max(remaining, 0)
	s.allowance.reset = reset
}

type rateLimitKey struct{}

// rateLimitFrom returns the headers the middleware chose for this call.
func rateLimitFrom(ctx context.Context) server.ListPeople200ResponseHeaders {
	h, _ := ctx.Value(rateLimitKey{}).(server.ListPeople200ResponseHeaders)
	return h
}

// allowance is the fake's hourly rate limit.
type allowance struct {
	mu        sync.Mutex
	limit     int
	remaining int
	reset     time.Time
	enforce   bool
}

// take counts one call and returns the headers to answer it with. When the
// allowance is used up and enforced, retryAfter is how long until it resets
// (whole seconds, rounded up); it is 0 for a call that may go on.
func (a *allowance) take(now time.Time) (h server.ListPeople200ResponseHeaders, retryAfter time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !now.Before(a.reset) {
		a.remaining = a.limit
		a.reset = now.UTC().Truncate(time.Hour).Add(time.Hour)
	}
	switch {
	case a.remaining > 0:
		a.remaining--
	case a.enforce:
		retryAfter = max(a.reset.Sub(now).Round(time.Second)+time.Second, time.Second)
	}
	if !a.enforce && a.remaining == 0 {
		a.reset = now
	}
	return server.ListPeople200ResponseHeaders{
		XFeatureRateLimitLimit:     a.limit,
		XFeatureRateLimitRemaining: a.remaining,
		XFeatureRateLimitReset:     a.reset.UTC().Format(http.TimeFormat),
	}, retryAfter
}

// recorder holds a response until it has been validated.
type recorder struct {
	rateLimit server.ListPeople200ResponseHeaders
	header    http.Header
	status    int
	body      bytes.Buffer
	wrote     bool
	hijacked  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}

func (r *recorder) flush(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

func fail(t TB, format string, args ...any) {
	if t != nil {
		t.Helper()
		t.Fatalf(format, args...)
	}
}

// personID makes a stable 64-hex-character ID, like the API's.
func personID(seed string) string {
	sum := sha256.Sum256([]byte("person:" + seed))
	return hex.EncodeToString(sum[:])
}

func assetID(seed string) string {
	sum := sha256.Sum256([]byte("asset:" + seed))
	return hex.EncodeToString(sum[:16])
}
