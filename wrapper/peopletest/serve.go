package peopletest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
	"github.com/cldpeople/cloudinary-people-go/internal/rawhttp"
)

// ViolationHeader names the broken rules on any answer whose request or
// response broke the contract, one header value per violation.
const ViolationHeader = "Peoplemock-Violation"

// ProbeHeader marks a request that breaks the contract on purpose (a
// bound just past, a value outside an enum, no credentials), as
// [Conformance]'s negative cases do. The fake still checks it, answers it
// and records the violation, marked Injected; like an injected fault, it
// never fails the test. It covers the request only: an answer that breaks
// the contract fails the test as always. Its value says why, for logs.
const ProbeHeader = contract.ProbeHeader

// DriftHeader names what an answer said beyond openapi.yaml (a property,
// an enum value or a status it does not describe), one value a finding,
// as ViolationHeader names what broke it.
const DriftHeader = "Peoplemock-Drift"

// serveAPI answers one People API call: it counts and records it, checks
// the request, answers it (a rate-limit refusal, a queued fault, or the
// normal answer) into a recorder, checks the answer and only then sends it.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, over, _ := contract.ReadCapped(r.Body, contract.BodyLimit(http.StatusOK))
	r.Body.Close()
	r.Body = readCloser{bytes.NewReader(body)}
	seq, gen := s.log.Begin(r, body, over, s.scrub)
	rec := rawhttp.NewRecorder()
	route, cloud, in, reqViolation := s.checkRequest(r)
	// A call to no operation is answered by the fake itself, as the proxy
	// answers it: it spends none of the hour and carries no rate limit.
	headers, retryAfter := http.Header{}, time.Duration(0)
	if route != nil {
		var limit server.ListPeople200ResponseHeaders
		limit, retryAfter = s.allowance.take(time.Now())
		r = r.WithContext(fakestore.WithHeaders(r.Context(), limit))
		headers = rateLimitHeaders(limit)
	}

	if reqViolation != nil {
		reqViolation.Injected = r.Header.Get(ProbeHeader) != ""
		s.violation(gen, reqViolation, rec)
	}
	normal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.answer(w, r, route, cloud, headers, reqViolation) })
	injected := false
	if retryAfter > 0 {
		// Refused before anything else, as the API refuses: a queued
		// fault waits for a call that gets through.
		headers.Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
		writeAPIError(rec, apirules.StatusEnhanceYourCalm, fakestore.Message(apirules.StatusEnhanceYourCalm), headers)
	} else if fault := s.faults.next(); fault != nil && fault.apply(w, r, rec, normal, headers) {
		injected = true
	} else {
		normal(rec, r)
	}
	if rec.Hijacked {
		return
	}
	if in != nil {
		respViolation, drift := s.v.CheckResponse(r.Context(), in, rec.Status, rec.Header(), s.scrub.Bytes(rec.Body()))
		if respViolation != nil {
			respViolation.Injected = injected
			s.violation(gen, respViolation, rec)
		}
		for _, d := range drift {
			addOnce(rec.Header(), DriftHeader, driftHeaderValue(d))
		}
		for _, d := range s.log.ObserveDrift(gen, drift, injected) {
			if s.onDrift != nil {
				s.onDrift(d)
			}
		}
	}
	// Recorded before it is sent: a client that has the answer finds its
	// status in the log.
	s.log.Answered(gen, seq, rec.Status)
	rec.Flush(w)
}

// answer is the fake's own answer to a call that no fault or rate limit
// took: a 404 for a path of no operation, a 405 for a method the path
// does not have, a status asked for with Prefer, a 401, a 400 for a call
// that breaks the contract, or the store's.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, route *routers.Route, cloud string, headers http.Header, broken *ContractError) {
	switch {
	case route == nil:
		if allowed := s.v.Allowed(r); len(allowed) > 0 {
			headers.Set("Allow", strings.Join(allowed, ", "))
			writeAPIError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s; it answers %s",
				apirules.Cut(apirules.Printable(r.Method), 20), apirules.Cut(apirules.Printable(r.URL.EscapedPath()), 200), strings.Join(allowed, ", ")), headers)
			return
		}
		writeAPIError(w, http.StatusNotFound, fmt.Sprintf("No People API operation answers %s %s; the operations are %s",
			apirules.Cut(apirules.Printable(r.Method), 20), apirules.Cut(apirules.Printable(r.URL.EscapedPath()), 200), s.v.Operations()), headers)
	case preferred(w, r, route, headers):
	case !s.authorized(r, cloud):
		msg := fakestore.Message(http.StatusUnauthorized)
		if cloud != s.CloudName {
			// The credentials may be right for another cloud: say which
			// one this fake serves (a cloud name is no secret).
			msg += fmt.Sprintf(" (this fake serves the cloud %q; the path names %q)", s.CloudName, apirules.Cut(apirules.Printable(cloud), 100))
		}
		writeAPIError(w, http.StatusUnauthorized, msg, headers)
	case broken != nil && !contract.ReadOnly(r.Method, route.Operation):
		// A write that breaks the contract changes nothing. The store
		// reads only what the generated types keep ("name": "" is no
		// name at all), so it cannot always tell.
		refuseBroken(w, broken, headers)
	case broken != nil:
		// A read goes to the store for the API's own message ("Invalid
		// sort_by value"); should the store find nothing wrong, the
		// answer is still a refusal.
		rec := rawhttp.NewRecorder()
		s.api.ServeHTTP(rec, r)
		if rec.Status >= 200 && rec.Status < 300 {
			refuseBroken(w, broken, headers)
			return
		}
		rec.Flush(w)
	case refuseEmptyField(w, r, route, headers):
	default:
		s.api.ServeHTTP(w, r)
	}
}

// sentBody reads r's body (already read within the fake's cap) and puts
// it back for the handler.
func sentBody(r *http.Request) []byte {
	data, _ := io.ReadAll(r.Body)
	r.Body = readCloser{bytes.NewReader(data)}
	return data
}

// refuseBroken answers 400 for a call that breaks the contract.
func refuseBroken(w http.ResponseWriter, broken *ContractError, headers http.Header) {
	writeAPIError(w, http.StatusBadRequest, "The request breaks the API's contract: "+apirules.Cut(apirules.Printable(broken.Rule), 300), headers)
}

// addOnce adds value to h[name] unless it is there already.
func addOnce(h http.Header, name, value string) {
	if !slices.Contains(h.Values(name), value) {
		h.Add(name, value)
	}
}

// driftHeaderValue is a finding on one line, short enough for a header.
func driftHeaderValue(d Drift) string {
	return apirules.Cut(apirules.Printable(d.String()), 512)
}

// checkRequest routes r and checks it against the spec; cloud is the
// cloud_name the path names. A path that matches no operation, or that is
// not clean ("//", ".."), has no route and is a violation.
func (s *Server) checkRequest(r *http.Request) (*routers.Route, string, *openapi3filter.RequestValidationInput, *ContractError) {
	if path := r.URL.EscapedPath(); !cleanPath(path) {
		rule := "path is not clean (it holds \"//\", \".\" or \"..\"), so it matches no operation in openapi.yaml"
		if trimmed := strings.TrimSuffix(path, "/"); trimmed != path && cleanPath(trimmed) {
			rule = "path ends with \"/\", so it matches no operation in openapi.yaml (drop the trailing slash)"
		}
		return nil, "", nil, &ContractError{Phase: PhaseRequest, Method: r.Method, Path: path, Rule: rule}
	}
	if !s.validate {
		route, params, err := s.v.Route(r)
		if err != nil {
			return nil, "", nil, nil
		}
		return route, params["cloud_name"], nil, nil
	}
	in, cerr, _ := s.v.CheckRequest(r.Context(), r)
	if in == nil {
		return nil, "", nil, cerr
	}
	return in.Route, in.PathParams["cloud_name"], in, cerr
}

// cleanPath: no segment of the escaped path is empty, "." or ".." (an
// escaped "%2F.." stays inside one segment and is fine).
func cleanPath(escaped string) bool {
	segs := strings.Split(escaped, "/")
	for i, seg := range segs {
		if i > 0 && (seg == "" || seg == "." || seg == "..") {
			return false
		}
	}
	return len(segs) > 1 && segs[0] == ""
}

// authorized: the call names the server's cloud and carries its
// credentials.
func (s *Server) authorized(r *http.Request, cloud string) bool {
	if cloud != s.CloudName {
		return false
	}
	auth := r.Header.Get("Authorization")
	if s.OAuthToken != "" && auth == "Bearer "+s.OAuthToken {
		return true
	}
	key, secret, ok := r.BasicAuth()
	return ok && key == s.APIKey && secret == s.APISecret
}

// preferred answers the status a request asked for with `Prefer: code=NNN`,
// as Prism does, when the operation documents it. A code the operation
// does not document, or one that is no HTTP status ("abc", "999"), is
// refused with a 400 that says which codes are documented, so that a typo
// never passes a test silently. A 2xx code, or no code, lets the call go
// on normally.
func preferred(w http.ResponseWriter, r *http.Request, route *routers.Route, headers http.Header) bool {
	raw, code, ok := preferredCode(r.Header.Values("Prefer"))
	if !ok {
		return false
	}
	op := route.Operation
	if code == 0 || op.Responses.Status(code) == nil {
		var documented []int
		for k := range op.Responses.Map() {
			if n, err := strconv.Atoi(k); err == nil {
				documented = append(documented, n)
			}
		}
		slices.Sort(documented)
		what := "a status " + op.OperationID + " documents"
		if code == 0 {
			what = "an HTTP status code"
		}
		writeAPIError(w, http.StatusBadRequest, fmt.Sprintf("Prefer: code=%s is not %s; it documents %s",
			apirules.Cut(apirules.Printable(raw), 20), what, strings.Trim(fmt.Sprint(documented), "[]")), headers)
		return true
	}
	if code >= 200 && code < 300 {
		return false
	}
	if apirules.RateLimited(code) {
		headers.Set("Retry-After", "1")
	}
	if page, ok := htmlAccepted(r, route, code); ok {
		// The media type the caller ranks first among those documented,
		// as Prism chooses: a proxy's HTML error page.
		for k, v := range headers {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(code)
		io.WriteString(w, page)
		return true
	}
	msg := fakestore.Message(code)
	if msg == "" {
		msg = http.StatusText(code)
	}
	writeAPIError(w, code, msg, headers)
	return true
}

// preferredCode reads code=NNN from Prefer headers ("code=503",
// "code=503, dynamic=true"): raw is what was given, code the status, 0
// when raw is no status (three digits, 100 to 599). ok is false without a
// code preference.
func preferredCode(values []string) (raw string, code int, ok bool) {
	for _, v := range values {
		for _, pref := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			name, val, found := strings.Cut(strings.TrimSpace(pref), "=")
			if !found || !strings.EqualFold(strings.TrimSpace(name), "code") {
				continue
			}
			raw = strings.Trim(strings.TrimSpace(val), `"`)
			n, err := strconv.Atoi(raw)
			if err != nil || len(raw) != 3 || n < 100 || n > 599 {
				return raw, 0, true
			}
			return raw, n, true
		}
	}
	return "", 0, false
}

// violation records e, tells the handler, names it on the answer and,
// unless a fault injected it on purpose, fails the test.
func (s *Server) violation(gen uint64, e *ContractError, rec *rawhttp.Recorder) {
	rec.Header().Add(ViolationHeader, violationHeaderValue(e))
	s.log.Violation(gen, e)
	if s.onViolate != nil {
		s.onViolate(e)
	}
	switch {
	case e.Injected:
	case s.t != nil:
		s.t.Errorf("%v", e)
	case s.onViolate == nil:
		fmt.Fprintln(os.Stderr, e)
	}
}

// violationHeaderValue is e's phase and rule, on one line and short
// enough for a header.
func violationHeaderValue(e *ContractError) string {
	return apirules.Cut(apirules.Printable(string(e.Phase)+": "+e.Rule), 512)
}

func serverError(w http.ResponseWriter, r *http.Request, err error) {
	writeAPIError(w, http.StatusInternalServerError, "General Error: "+err.Error(), rateLimitHeaders(fakestore.Headers(r.Context())))
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
