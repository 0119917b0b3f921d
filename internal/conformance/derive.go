package conformance

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

type authMode int

const (
	authGood authMode = iota
	authNone
	authWrong
)

// confCase is one derived case. Values written as fixture("name") are
// filled in at run time from what the target holds.
type confCase struct {
	op, method, path string // path is the spec's template
	name             string
	query            url.Values
	queryFixture     map[string]string // parameter -> fixture, e.g. the target's own next_cursor
	body             any               // nil: no body
	auth             authMode
	unknownPerson    bool
	wantStatus       int        // 0: a 2xx with a valid body; else the documented 4xx expected
	walk             *walk      // set for the case that continues a walk with its cursor alone
	shape            *walkShape // set for a case that checks what a walk returns
}

// walk is a filtered walk whose second page is asked for with the cursor
// alone; filters are dropped from the end until the target has a second
// page for them.
type walk struct {
	cursorParam, sizeParam, size string
	filters                      [][2]string // name, value
}

// combinations lists filter sets to try, fullest first: all of them, all
// but one, then fewer and fewer from the end.
func (w *walk) combinations() [][][2]string {
	out := [][][2]string{w.filters}
	for i := range w.filters {
		out = append(out, slices.Delete(slices.Clone(w.filters), i, i+1))
	}
	for n := len(w.filters) - 2; n >= 0; n-- {
		out = append(out, w.filters[:n])
	}
	return out
}

// fixture marks a value to take from the target's own data (a person's ID,
// name, status or thumbnail asset), or fallback when the target has none.
type fixture struct {
	name     string
	fallback any // nil: the case is skipped without the fixture
}

const unknownPersonID = "conformance-unknown-person-0000000000000000"

// deriveCases walks the spec. Writes adds the PUT operations' cases.
func deriveCases(doc *openapi3.T, writes bool) []confCase {
	var out []confCase
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		item := paths[path]
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			op := item.GetOperation(method)
			if op == nil || (!writes && (method == http.MethodPut || method == http.MethodPatch || method == http.MethodDelete)) {
				continue
			}
			out = append(out, operationCases(path, method, item, op)...)
		}
	}
	return out
}

// caseMaker makes a case of an operation: its name, and what it changes
// from the plain call.
type caseMaker func(name string, f func(*confCase)) confCase

func operationCases(path, method string, item *openapi3.PathItem, op *openapi3.Operation) []confCase {
	base := confCase{op: op.OperationID, method: method, path: path}
	body := validBody(op)
	if schema := bodySchema(op); schema != nil && body == nil {
		// A body tried field by field still needs a valid one for the
		// cases about who calls and on whom.
		body = someValidField(schema)
	}
	with := func(name string, f func(*confCase)) confCase {
		c := base
		c.name = name
		c.query = url.Values{}
		c.body = body
		f(&c)
		return c
	}
	params := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
	var out []confCase
	if body != nil || bodySchema(op) == nil {
		out = append(out, with("plain call", func(*confCase) {}))
	}
	queries, enums := queryCases(params, with)
	out = append(out, queries...)
	out = append(out, combinationCases(enums, with)...)
	out = append(out, walkCases(params, enums, with)...)
	if schema := bodySchema(op); schema != nil {
		out = append(out, bodyCases(schema, body, with)...)
	}
	return append(out, whoCases(op, params, with)...)
}

// queryCases: each enum value of each query parameter and one outside the
// enum, both edges of each bound and one past each, and each other
// parameter alone. It also returns the enum parameters.
func queryCases(params openapi3.Parameters, with caseMaker) (out []confCase, enums []*openapi3.Parameter) {
	for _, ref := range params {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		s := p.Schema.Value
		switch {
		case len(s.Enum) > 0:
			enums = append(enums, p)
			for _, e := range s.Enum {
				out = append(out, with(fmt.Sprintf("%s=%v", p.Name, e), func(c *confCase) { c.query.Set(p.Name, fmt.Sprint(e)) }))
			}
			out = append(out, with(p.Name+" outside its enum", func(c *confCase) {
				c.query.Set(p.Name, "not-a-"+p.Name)
				c.wantStatus = http.StatusBadRequest
			}))
		case s.Type.Is("integer") || s.Type.Is("number"):
			out = append(out, boundCases(p, s, with)...)
		case p.Name == "next_cursor":
			out = append(out, with(p.Name+" alone", func(c *confCase) { c.queryFixture = map[string]string{p.Name: "next_cursor"} }))
		default:
			out = append(out, with(p.Name+" alone", func(c *confCase) { c.query.Set(p.Name, exampleValue(p)) }))
		}
	}
	return out, enums
}

// boundCases: a numeric parameter at and just past each of its bounds.
func boundCases(p *openapi3.Parameter, s *openapi3.Schema, with caseMaker) []confCase {
	var out []confCase
	edge := func(label string, v float64, refused bool) confCase {
		return with(fmt.Sprintf("%s=%s (%s)", p.Name, num(v), label), func(c *confCase) {
			c.query.Set(p.Name, num(v))
			if refused {
				c.wantStatus = http.StatusBadRequest
			}
		})
	}
	if s.Min != nil {
		out = append(out, edge("minimum", *s.Min, false), edge("below minimum", *s.Min-1, true))
	}
	if s.Max != nil {
		out = append(out, edge("maximum", *s.Max, false), edge("above maximum", *s.Max+1, true))
	}
	if s.Min == nil && s.Max == nil {
		out = append(out, with(p.Name+" alone", func(c *confCase) { c.query.Set(p.Name, "1") }))
	}
	return out
}

// combinationCases: each pair of enum parameters, and all of them at once.
func combinationCases(enums []*openapi3.Parameter, with caseMaker) []confCase {
	var out []confCase
	for i := range enums {
		for j := i + 1; j < len(enums); j++ {
			a, b := enums[i], enums[j]
			va, vb := a.Schema.Value.Enum[len(a.Schema.Value.Enum)-1], b.Schema.Value.Enum[len(b.Schema.Value.Enum)-1]
			out = append(out, with(fmt.Sprintf("%s=%v with %s=%v", a.Name, va, b.Name, vb), func(c *confCase) {
				c.query.Set(a.Name, fmt.Sprint(va))
				c.query.Set(b.Name, fmt.Sprint(vb))
			}))
		}
	}
	if len(enums) > 2 {
		out = append(out, with("every enum parameter at once", func(c *confCase) {
			for _, p := range enums {
				c.query.Set(p.Name, fmt.Sprint(p.Schema.Value.Enum[0]))
			}
		}))
	}
	return out
}

// walkCases: for a paged operation (a next_cursor parameter, a bounded page
// size and enum filters), whether the cursor alone continues a filtered
// walk, as clients such as the Python SDK rely on.
func walkCases(params openapi3.Parameters, enums []*openapi3.Parameter, with caseMaker) []confCase {
	var cursorParam, sizeParam, size string
	for _, ref := range params {
		p := ref.Value
		switch {
		case p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil:
		case p.Name == "next_cursor":
			cursorParam = p.Name
		case p.Schema.Value.Min != nil && (p.Schema.Value.Type.Is("integer")):
			sizeParam, size = p.Name, num(*p.Schema.Value.Min)
		}
	}
	if cursorParam == "" || sizeParam == "" || len(enums) == 0 {
		return nil
	}
	w := &walk{cursorParam: cursorParam, sizeParam: sizeParam, size: size}
	for _, p := range enums {
		// The second value: not the usual default, so the filter shows.
		values := p.Schema.Value.Enum
		w.filters = append(w.filters, [2]string{p.Name, fmt.Sprint(values[min(1, len(values)-1)])})
	}
	out := []confCase{with(cursorParam+" alone continues a filtered walk", func(c *confCase) { c.walk = w })}
	for _, shape := range walkShapes(params, cursorParam, sizeParam, size) {
		out = append(out, with(shape.name, func(c *confCase) { c.shape = shape }))
	}
	return out
}

// whoCases: an unknown person, and missing and wrong credentials.
func whoCases(op *openapi3.Operation, params openapi3.Parameters, with caseMaker) []confCase {
	var out []confCase
	if hasPathParam(params, "person_id") && op.Responses.Status(http.StatusNotFound) != nil {
		out = append(out, with("unknown person", func(c *confCase) { c.unknownPerson, c.wantStatus = true, http.StatusNotFound }))
	}
	if op.Responses.Status(http.StatusUnauthorized) != nil {
		out = append(out,
			with("missing credentials", func(c *confCase) { c.auth, c.wantStatus = authNone, http.StatusUnauthorized }),
			with("wrong credentials", func(c *confCase) { c.auth, c.wantStatus = authWrong, http.StatusUnauthorized }))
	}
	return out
}

func hasPathParam(params openapi3.Parameters, name string) bool {
	for _, p := range params {
		if p.Value != nil && p.Value.In == openapi3.ParameterInPath && p.Value.Name == name {
			return true
		}
	}
	return false
}

// exampleValue is a value for a free-form query parameter: the spec's
// example.
func exampleValue(p *openapi3.Parameter) string {
	if p.Example != nil {
		return fmt.Sprint(p.Example)
	}
	if p.Schema.Value.Example != nil {
		return fmt.Sprint(p.Schema.Value.Example)
	}
	return "a"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
