package peopletest

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
)

// The fake's own words for what the generated server would answer in
// Go's (a parameter that does not bind, a body that does not decode):
// what the API would say, naming the parameter, the value and what is
// allowed.

// badRequest answers a request the generated server could not read.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, err error) {
	msg := err.Error()
	var format *server.InvalidParamFormatError
	if errors.As(err, &format) {
		msg = fmt.Sprintf("Invalid %s value %q: %s", format.ParamName,
			apirules.Cut(apirules.Printable(r.URL.Query().Get(format.ParamName)), 100), s.allowedValues(format.ParamName))
	}
	writeAPIError(w, http.StatusBadRequest, msg, rateLimitHeaders(fakestore.Headers(r.Context())))
}

// allowedValues says what the spec allows of the query parameter name.
func (s *Server) allowedValues(name string) string {
	for _, item := range s.v.Doc().Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value == nil || p.Value.Name != name || p.Value.Schema == nil || p.Value.Schema.Value == nil {
					continue
				}
				return describeSchema(p.Value.Schema.Value)
			}
		}
	}
	return "it is not a value this parameter takes"
}

func describeSchema(sc *openapi3.Schema) string {
	switch {
	case len(sc.Enum) > 0:
		values := make([]string, len(sc.Enum))
		for i, v := range sc.Enum {
			values[i] = fmt.Sprint(v)
		}
		return "must be one of " + strings.Join(values, ", ")
	case sc.Type.Is("integer") && sc.Min != nil && sc.Max != nil:
		return fmt.Sprintf("must be a whole number from %v to %v", *sc.Min, *sc.Max)
	case sc.Type.Is("integer"):
		return "must be a whole number"
	}
	return "it is not a value this parameter takes"
}

// refuseEmptyField answers 400 to an update whose body sends a property
// as "", naming it, and reports whether it did: the generated types cannot
// tell "" from a property left out, and "Missing required parameter"
// would name the wrong problem.
func refuseEmptyField(w http.ResponseWriter, r *http.Request, route *routers.Route, headers http.Header) bool {
	if route.Operation.OperationID != "updatePerson" {
		return false
	}
	f := emptyField(sentBody(r))
	if f == "" {
		return false
	}
	writeAPIError(w, http.StatusBadRequest, fmt.Sprintf("%s is empty: leave it out to keep the current value",
		apirules.Cut(apirules.Printable(f), 100)), headers)
	return true
}

// emptyField is the first property, by name, of a JSON body sent as "".
func emptyField(body []byte) string {
	var fields map[string]any
	if json.Unmarshal(body, &fields) != nil {
		return ""
	}
	var empty []string
	for k, v := range fields {
		if v == "" {
			empty = append(empty, k)
		}
	}
	slices.Sort(empty)
	if len(empty) == 0 {
		return ""
	}
	return empty[0]
}

// htmlAccepted reports whether the request's Accept header ranks HTML
// above JSON, and the operation documents an HTML answer of status.
func htmlAccepted(r *http.Request, route *routers.Route, status int) (example string, ok bool) {
	resp := route.Operation.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return "", false
	}
	mt := resp.Value.Content.Get("text/html")
	if mt == nil || mediaRank(r.Header.Values("Accept"), "text/html") <= mediaRank(r.Header.Values("Accept"), "application/json") {
		return "", false
	}
	example, _ = mt.Example.(string)
	if example == "" {
		example = fmt.Sprintf("<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
	}
	return example, true
}

// mediaRank is the quality Accept gives media type t (0 when it does not
// accept it; a listed wildcard counts a little less than the type named).
func mediaRank(accept []string, t string) float64 {
	best := 0.0
	for _, v := range accept {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if qs, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(qs, 64); err == nil {
					q = f
				}
			}
			switch {
			case mt == t:
			case mt == "*/*", strings.HasSuffix(mt, "/*") && strings.HasPrefix(t, strings.TrimSuffix(mt, "*")):
				q -= 0.001
			default:
				continue
			}
			best = max(best, q)
		}
	}
	return best
}
