package conformance

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

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
