package contract

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// Route finds the operation for req. It matches on the escaped path, so an
// ID holding an escaped '/' stays one segment, and ignores the host, so the
// same check works on a loopback test server and on any API region. A
// concrete path wins over a templated one whatever the method: GET
// .../people/inspect is a method inspect does not have, not a person
// named "inspect".
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	path, item, params := v.pathOf(req)
	switch {
	case item == nil:
		return nil, nil, errors.New("path matches no operation in openapi.yaml")
	case item.GetOperation(req.Method) == nil:
		return nil, nil, fmt.Errorf("method %s is not allowed on this path", req.Method)
	}
	return &routers.Route{Spec: v.doc, Path: path, PathItem: item, Method: req.Method, Operation: item.GetOperation(req.Method)}, params, nil
}

// pathOf is the path template that matches req with the most literal
// segments; nil when none matches.
func (v *Validator) pathOf(req *http.Request) (string, *openapi3.PathItem, map[string]string) {
	segs := strings.Split(strings.TrimPrefix(req.URL.EscapedPath(), "/"), "/")
	var bestPath string
	var best *openapi3.PathItem
	var bestParams map[string]string
	bestLiterals := -1
	for path, item := range v.doc.Paths.Map() {
		tmpl := strings.Split(strings.TrimPrefix(path, "/"), "/")
		if len(tmpl) != len(segs) {
			continue
		}
		params, literals, ok := matchSegments(tmpl, segs)
		if !ok || literals <= bestLiterals {
			continue
		}
		bestPath, best, bestParams, bestLiterals = path, item, params, literals
	}
	return bestPath, best, bestParams
}

// Allowed lists the methods the spec has an operation for on the path
// of req (the template Route would take), sorted; none when no path
// template matches it.
func (v *Validator) Allowed(req *http.Request) []string {
	_, item, _ := v.pathOf(req)
	if item == nil {
		return nil
	}
	var out []string
	for method := range item.Operations() {
		out = append(out, method)
	}
	slices.Sort(out)
	return out
}

// QueryDefault is the default the spec gives a query parameter of an
// operation, as an integer; 0 when it gives none.
func (v *Validator) QueryDefault(operationID, param string) int {
	for _, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != operationID {
				continue
			}
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Name == param &&
					p.Value.Schema != nil && p.Value.Schema.Value != nil {
					if n, ok := p.Value.Schema.Value.Default.(float64); ok {
						return int(n)
					}
				}
			}
		}
	}
	return 0
}

// PathOf is the path template of an operation ("" when the spec has none).
func (v *Validator) PathOf(operationID string) string {
	for path, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				return path
			}
		}
	}
	return ""
}

// Operations lists the spec's operations as "GET /path", for messages.
func (v *Validator) Operations() string {
	var out []string
	for path, item := range v.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// ReadOnly: the operation changes nothing, so the proxy forwards it without
// AllowWrites. GETs read; another method is read-only only when the spec
// says so with x-read-only (inspect, a POST that only asks).
func ReadOnly(method string, op *openapi3.Operation) bool {
	ro, _ := op.Extensions["x-read-only"].(bool)
	return apirules.ReadOnly(method, ro)
}

func matchSegments(tmpl, segs []string) (map[string]string, int, bool) {
	params := map[string]string{}
	literals := 0
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			val, err := url.PathUnescape(segs[i])
			if err != nil || val == "" {
				return nil, 0, false
			}
			params[t[1:len(t)-1]] = val
			continue
		}
		if t != segs[i] {
			return nil, 0, false
		}
		literals++
	}
	return params, literals, true
}
