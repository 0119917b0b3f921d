package peopletest

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

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
	wantStatus       int   // 0: a 2xx with a valid body; else the documented 4xx expected
	walk             *walk // set for the case that continues a walk with its cursor alone
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
	return []confCase{with(cursorParam+" alone continues a filtered walk", func(c *confCase) { c.walk = w })}
}

// bodyCases: a valid value of each field of the request body, then what
// breaks it.
func bodyCases(schema *openapi3.Schema, body any, with caseMaker) []confCase {
	var out []confCase
	if !isObjectWithRequired(schema) {
		out = append(out, bodyFieldCases(schema, with)...)
	}
	if body != nil {
		for _, at := range minPropertiesPaths(schema, body, nil) {
			out = append(out, with("empty "+strings.Join(at, ".")+" (minProperties)", func(c *confCase) {
				c.body = replaceAt(copyValue(body), at, map[string]any{})
				c.wantStatus = http.StatusBadRequest
			}))
		}
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

// bodySchema is the JSON request body's schema, or nil.
func bodySchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// isObjectWithRequired: a body whose fields are all required (inspect) is
// sent whole, from its example; one whose fields are each optional (update)
// is tried field by field.
func isObjectWithRequired(s *openapi3.Schema) bool { return len(s.Required) > 0 }

// validBody is the body a positive case sends: the spec's example for a
// body with required fields, with person IDs replaced by a real one; nil
// for a field-by-field body, whose cases set their own.
func validBody(op *openapi3.Operation) any {
	schema := bodySchema(op)
	if schema == nil || !isObjectWithRequired(schema) {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	example := mt.Example
	if example == nil {
		for _, ex := range mt.Examples {
			if ex.Value != nil {
				example = ex.Value.Value
				break
			}
		}
	}
	if example == nil {
		return nil
	}
	return withPersonFixtures(copyValue(example), schema)
}

// withPersonFixtures replaces, in a map of caller-chosen keys to person
// IDs (an object whose additional properties are strings), each ID with
// the target's own.
func withPersonFixtures(v any, s *openapi3.Schema) any {
	m, ok := v.(map[string]any)
	if !ok || s == nil {
		return v
	}
	for k, child := range m {
		prop := s.Properties[k]
		if prop == nil {
			if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil && ap.Value.Type.Is("string") {
				m[k] = fixture{name: "person_id"}
			}
			continue
		}
		m[k] = withPersonFixtures(child, prop.Value)
	}
	return m
}

func bodyFieldCases(s *openapi3.Schema, with caseMaker) []confCase {
	var out []confCase
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		prop := s.Properties[name].Value
		if prop == nil {
			continue
		}
		// The target's own value (a person's current name, status or
		// thumbnail asset) is valid and changes nothing; else the spec's.
		var fallback any = prop.Example
		if fallback == nil && len(prop.Enum) > 0 {
			fallback = prop.Enum[0]
		}
		out = append(out, with("valid "+name, func(c *confCase) { c.body = map[string]any{name: fixture{name: name, fallback: fallback}} }))
		if len(prop.Enum) > 0 {
			out = append(out, with(name+" outside its enum", func(c *confCase) {
				c.body = map[string]any{name: "not-a-" + name}
				c.wantStatus = http.StatusBadRequest
			}))
		}
		if prop.MinLength > 0 {
			n := int(prop.MinLength) - 1
			out = append(out, with(fmt.Sprintf("%s of %d characters (minLength %d)", name, n, n+1), func(c *confCase) {
				c.body = map[string]any{name: strings.Repeat("x", n)}
				c.wantStatus = http.StatusBadRequest
			}))
		}
		if prop.MaxLength != nil {
			n := int(*prop.MaxLength) + 1
			out = append(out, with(fmt.Sprintf("%s of %d characters (maxLength %d)", name, n, n-1), func(c *confCase) {
				c.body = map[string]any{name: strings.Repeat("x", n)}
				c.wantStatus = http.StatusBadRequest
			}))
		}
	}
	if s.MinProps > 0 {
		out = append(out, with("empty body (minProperties)", func(c *confCase) {
			c.body = map[string]any{}
			c.wantStatus = http.StatusBadRequest
		}))
	}
	return out
}

// someValidField is a one-field body for a schema whose fields are each
// optional: an enum field, whose values the spec itself gives, if any.
func someValidField(s *openapi3.Schema) any {
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		if p := s.Properties[name].Value; p != nil && len(p.Enum) > 0 {
			return map[string]any{name: fixture{name: name, fallback: p.Enum[0]}}
		}
	}
	return nil
}

// minPropertiesPaths lists the objects of a valid body whose schema sets
// minProperties, as key paths.
func minPropertiesPaths(s *openapi3.Schema, v any, prefix []string) [][]string {
	m, ok := v.(map[string]any)
	if !ok || s == nil {
		return nil
	}
	var out [][]string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		prop := s.Properties[k]
		if prop == nil || prop.Value == nil {
			continue
		}
		at := append(slices.Clone(prefix), k)
		if prop.Value.MinProps > 0 {
			out = append(out, at)
		}
		out = append(out, minPropertiesPaths(prop.Value, m[k], at)...)
	}
	return out
}

// replaceAt sets the value at path (keys) in v.
func replaceAt(v any, path []string, to any) any {
	if len(path) == 0 {
		return to
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	m[path[0]] = replaceAt(m[path[0]], path[1:], to)
	return m
}

// copyValue copies maps and slices of a JSON-like value, fixtures included.
func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, child := range v {
			m[k] = copyValue(child)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			out[i] = copyValue(child)
		}
		return out
	}
	return v
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
