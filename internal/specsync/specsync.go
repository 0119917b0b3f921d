// Package specsync checks that the hand-written wrapper still matches
// openapi.yaml: make test runs it, so that a spec change the wrapper has
// not followed fails CI with a message that names the gap and the fix.
//
// The generator keeps package generated in step with the spec; nothing but
// this check ties package wrapper to it. [Check] compares a loaded spec with
// a [Surface], the wrapper's side, which [WrapperSurface] reads from the
// wrapper itself: the constants of its enum types (from the source), its
// Client methods and struct fields (by reflection) and the bounds it
// enforces (its exported constants). What cannot be read from code (which
// spec schema a wrapper type mirrors, which response properties are left
// out on purpose and why) is written down once, in [Expectations].
package specsync

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Surface is what the wrapper offers, as far as the check needs it.
type Surface struct {
	// Enums maps a wrapper enum type to its constants' values.
	Enums map[string][]string
	// Methods are the exported methods of *wrapper.Client.
	Methods []string
	// Types maps a wrapper type name to the type, for field lookups.
	Types map[string]reflect.Type
	// Bounds maps a spec location ("listPeople.max_results.maximum") to
	// the value the wrapper enforces.
	Bounds map[string]float64
	// Facts maps a spec location to what the wrapper (or the fake) takes
	// it to be: "servers.0.url" (the default host),
	// "listPeople.max_results.default" (the server's page size).
	Facts map[string]string
	// RateLimitStatuses are the statuses the wrapper retries as rate
	// limits and maps to ErrRateLimited; every operation must document
	// them.
	RateLimitStatuses []string
}

// Expectations is the hand-kept part of the mapping between spec and
// wrapper.
type Expectations struct {
	// EnumTypes maps a spec enum schema to the wrapper type that mirrors it.
	EnumTypes map[string]string
	// Methods maps an operationId to the *Client method that calls it.
	Methods map[string]string
	// Surfaced maps a response property ("PersonDetails.name") to where
	// the wrapper carries it: "Type.Field", or "Type" for a whole value.
	Surfaced map[string]string
	// LeftOut maps a response property to the reason it is not surfaced.
	LeftOut map[string]string
	// Models maps a schema to the wrapper model generated from it
	// (modelgen.yaml): each of its properties is surfaced by the field
	// whose JSON name it is, with no entry in Surfaced.
	Models map[string]string
	// Required maps a schema to the required properties the wrapper's
	// decoding relies on (ErrMalformedResponse when they are missing).
	Required map[string][]string
}

// Problem is one gap between spec and wrapper.
type Problem struct {
	Kind    string // enum, bound, operation, property, required, fact, retry
	Message string // what is wrong and what to do
}

func (p Problem) String() string { return p.Kind + ": " + p.Message }

// Check compares doc with the wrapper's surface under e and returns every
// gap, sorted.
func Check(doc *openapi3.T, s Surface, e Expectations) []Problem {
	c := &checker{doc: doc, s: s, e: e}
	c.enums()
	c.bounds()
	c.operations()
	c.properties()
	c.required()
	c.facts()
	c.retries()
	sort.Slice(c.out, func(i, j int) bool { return c.out[i].String() < c.out[j].String() })
	return c.out
}

type checker struct {
	doc *openapi3.T
	s   Surface
	e   Expectations
	out []Problem
}

func (c *checker) add(kind, format string, args ...any) {
	c.out = append(c.out, Problem{Kind: kind, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) operations() {
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.GetOperation(method)
			name, ok := c.e.Methods[op.OperationID]
			if !ok {
				name = goName(op.OperationID)
			}
			if !slices.Contains(c.s.Methods, name) {
				c.add("operation", "operation %s (%s %s) has no wrapper method: add (*Client).%s to wrapper/client.go and map it in internal/specsync's Expectations.Methods", op.OperationID, method, path, name)
			}
		}
	}
}

// properties walks every 2xx response schema and wants each property either
// surfaced in a wrapper type or listed as left out on purpose.
func (c *checker) properties() {
	users := map[string][]string{} // property -> operations whose answers hold it
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.GetOperation(method)
			for code, resp := range op.Responses.Map() {
				if !strings.HasPrefix(code, "2") || resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walkProperties(mt.Schema, "", func(prop string) {
						if !slices.Contains(users[prop], op.OperationID) {
							users[prop] = append(users[prop], op.OperationID)
						}
					}, map[*openapi3.Schema]bool{})
				}
			}
		}
	}
	for _, prop := range slices.Sorted(maps.Keys(users)) {
		target, surfaced := c.e.Surfaced[prop]
		if !surfaced {
			target, surfaced = c.generated(prop)
		}
		_, leftOut := c.e.LeftOut[prop]
		switch {
		case surfaced && leftOut:
			c.add("property", "%s is both surfaced (%s) and listed as left out: keep one", prop, target)
		case surfaced:
			if err := c.lookup(target); err != "" {
				c.add("property", "%s is mapped to %s, but %s", prop, target, err)
			}
		case !leftOut:
			c.add("property", "%s (in the 2xx answer of %s) is neither surfaced in the wrapper's types nor listed as deliberately left out: run go generate (the models come from openapi.yaml); for a schema modelgen.yaml does not map, map it there (and in Expectations.Models), or list the property in Expectations.LeftOut with the reason",
				prop, strings.Join(slices.Sorted(slices.Values(users[prop])), ", "))
		}
	}
	for _, prop := range slices.Sorted(maps.Keys(c.e.Surfaced)) {
		if _, ok := users[prop]; !ok {
			c.add("property", "Expectations.Surfaced maps %s, which no 2xx answer in openapi.yaml holds any more: remove the mapping (and the wrapper field, if nothing else fills it)", prop)
		}
	}
	for _, prop := range slices.Sorted(maps.Keys(c.e.LeftOut)) {
		if _, ok := users[prop]; !ok {
			c.add("property", "Expectations.LeftOut lists %s, which no 2xx answer in openapi.yaml holds any more: remove it", prop)
		}
	}
}

// walkProperties reports "Schema.prop" for each property of a named schema
// and "Parent.prop.inner" for properties of inline objects.
func walkProperties(s *openapi3.SchemaRef, parent string, visit func(string), seen map[*openapi3.Schema]bool) {
	if s == nil || s.Value == nil || seen[s.Value] {
		return
	}
	seen[s.Value] = true
	defer delete(seen, s.Value)
	prefix := parent
	if name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/"); ok {
		prefix = name
	}
	for _, name := range slices.Sorted(maps.Keys(s.Value.Properties)) {
		visit(prefix + "." + name)
		walkProperties(s.Value.Properties[name], prefix+"."+name, visit, seen)
	}
	walkProperties(s.Value.Items, prefix, visit, seen)
}

// generated finds the field of a generated model that carries prop
// ("PersonDetails.name"): the one whose JSON name it is.
func (c *checker) generated(prop string) (string, bool) {
	schemaName, name, _ := strings.Cut(prop, ".")
	model, ok := c.e.Models[schemaName]
	if !ok || strings.Contains(name, ".") {
		return "", false
	}
	t, ok := c.s.Types[model]
	if !ok {
		return "", false
	}
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return model + "." + t.Field(i).Name, true
		}
	}
	return "", false
}

// lookup checks that "Type" or "Type.Field" exists in the wrapper; it
// returns what is wrong, or "".
func (c *checker) lookup(target string) string {
	typeName, field, hasField := strings.Cut(target, ".")
	t, ok := c.s.Types[typeName]
	if !ok {
		return fmt.Sprintf("wrapper has no type %s", typeName)
	}
	if hasField {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return fmt.Sprintf("wrapper.%s is not a struct", typeName)
		}
		if _, ok := t.FieldByName(field); !ok {
			return fmt.Sprintf("wrapper.%s has no field %s", typeName, field)
		}
	}
	return ""
}

func (c *checker) required() {
	for _, name := range slices.Sorted(maps.Keys(c.doc.Components.Schemas)) {
		have := slices.Clone(c.doc.Components.Schemas[name].Value.Required)
		want, known := c.e.Required[name]
		slices.Sort(have)
		want = slices.Sorted(slices.Values(want))
		switch {
		case !known && len(have) > 0:
			c.add("required", "components.schemas.%s requires %v, which the wrapper does not know: if it is an answer, make the wrapper report ErrMalformedResponse when they are missing; then record them in internal/specsync's Expectations.Required", name, have)
		case known && !slices.Equal(have, want):
			c.add("required", "components.schemas.%s now requires %v; the wrapper relies on %v: update what the wrapper treats as ErrMalformedResponse (wrapper/client.go) and Expectations.Required", name, have, want)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.e.Required)) {
		if _, ok := c.doc.Components.Schemas[name]; !ok {
			c.add("required", "Expectations.Required names components.schemas.%s, which openapi.yaml no longer has", name)
		}
	}
}

func (c *checker) eachParameter(fn func(op string, p *openapi3.Parameter)) {
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.GetOperation(method)
			for _, ps := range [][]*openapi3.ParameterRef{item.Parameters, op.Parameters} {
				for _, p := range ps {
					if p.Value != nil {
						fn(op.OperationID, p.Value)
					}
				}
			}
		}
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
