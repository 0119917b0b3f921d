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
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
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

func (c *checker) enums() {
	seen := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(c.doc.Components.Schemas)) {
		schema := c.doc.Components.Schemas[name].Value
		if len(schema.Enum) == 0 {
			continue
		}
		seen[name] = true
		wt, ok := c.e.EnumTypes[name]
		if !ok {
			c.add("enum", "components.schemas.%s is an enum with no wrapper type: add a string type with one constant per value to wrapper/types.go and map it in internal/specsync's Expectations.EnumTypes", name)
			continue
		}
		have := c.s.Enums[wt]
		var want []string
		for _, v := range schema.Enum {
			want = append(want, fmt.Sprint(v))
		}
		for _, v := range want {
			if !slices.Contains(have, v) {
				c.add("enum", "%s value %q (components.schemas.%s) has no wrapper constant: add %s%s %s = %q to wrapper/types.go", wt, v, name, wt, goName(v), wt, v)
			}
		}
		for _, v := range have {
			if !slices.Contains(want, v) {
				c.add("enum", "wrapper constant %s%s = %q is not a value of components.schemas.%s: remove it, or add the value to openapi.yaml", wt, goName(v), v, name)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.e.EnumTypes)) {
		if !seen[name] {
			c.add("enum", "Expectations.EnumTypes names components.schemas.%s, which is no longer an enum in openapi.yaml: remove wrapper.%s or the mapping", name, c.e.EnumTypes[name])
		}
	}
	// An inline enum gets no named Go type, so the wrapper could not check it.
	c.eachParameter(func(op string, p *openapi3.Parameter) {
		if p.Schema != nil && p.Schema.Ref == "" && p.Schema.Value != nil && len(p.Schema.Value.Enum) > 0 {
			c.add("enum", "%s parameter %s has an inline enum: move it to components.schemas so it gets a named Go type and a wrapper constant per value", op, p.Name)
		}
	})
}

// bounds compares every bound on what a caller sends (parameters and
// request bodies) with what the wrapper enforces.
func (c *checker) bounds() {
	found := map[string]float64{}
	c.eachParameter(func(op string, p *openapi3.Parameter) {
		if p.Schema != nil && p.Schema.Value != nil {
			// Path parameters mean the same in every operation.
			where := op + "." + p.Name
			if p.In == openapi3.ParameterInPath {
				where = "path." + p.Name
			}
			collectBounds(found, where, p.Schema.Value)
		}
	})
	for _, name := range slices.Sorted(maps.Keys(c.doc.Components.Schemas)) {
		if strings.HasSuffix(name, "Request") || c.usedInRequest(name) {
			schema := c.doc.Components.Schemas[name].Value
			collectBounds(found, name, schema)
			for _, prop := range slices.Sorted(maps.Keys(schema.Properties)) {
				if p := schema.Properties[prop]; p.Value != nil && p.Ref == "" {
					collectBounds(found, name+"."+prop, p.Value)
				}
			}
		}
	}
	for _, where := range slices.Sorted(maps.Keys(found)) {
		want := found[where]
		have, ok := c.s.Bounds[where]
		switch {
		case !ok:
			c.add("bound", "openapi.yaml sets %s = %s, which the wrapper does not enforce: check it before sending (ErrInvalidInput) and add it to internal/specsync's WrapperSurface bounds", where, num(want))
		case have != want:
			c.add("bound", "openapi.yaml sets %s = %s but the wrapper enforces %s: change the wrapper's constant to match", where, num(want), num(have))
		}
	}
	for _, where := range slices.Sorted(maps.Keys(c.s.Bounds)) {
		if _, ok := found[where]; !ok {
			c.add("bound", "the wrapper enforces %s = %s, which openapi.yaml no longer sets: drop the check or restore the bound in the spec", where, num(c.s.Bounds[where]))
		}
	}
}

func (c *checker) usedInRequest(schema string) bool {
	ref := "#/components/schemas/" + schema
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				if mt.Schema != nil && refersTo(mt.Schema, ref, map[*openapi3.Schema]bool{}) {
					return true
				}
			}
		}
	}
	return false
}

func refersTo(s *openapi3.SchemaRef, ref string, seen map[*openapi3.Schema]bool) bool {
	if s == nil || s.Value == nil || seen[s.Value] {
		return false
	}
	if s.Ref == ref {
		return true
	}
	seen[s.Value] = true
	for _, p := range s.Value.Properties {
		if refersTo(p, ref, seen) {
			return true
		}
	}
	return refersTo(s.Value.Items, ref, seen)
}

func collectBounds(into map[string]float64, where string, s *openapi3.Schema) {
	set := func(name string, v *float64) {
		if v != nil {
			into[where+"."+name] = *v
		}
	}
	setU := func(name string, v *uint64) {
		if v != nil {
			into[where+"."+name] = float64(*v)
		}
	}
	set("minimum", s.Min)
	set("maximum", s.Max)
	if s.MinLength > 0 {
		into[where+".minLength"] = float64(s.MinLength)
	}
	setU("maxLength", s.MaxLength)
	if s.MinProps > 0 {
		into[where+".minProperties"] = float64(s.MinProps)
	}
	setU("maxProperties", s.MaxProps)
	if s.MinItems > 0 {
		into[where+".minItems"] = float64(s.MinItems)
	}
	setU("maxItems", s.MaxItems)
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
		_, leftOut := c.e.LeftOut[prop]
		switch {
		case surfaced && leftOut:
			c.add("property", "%s is both surfaced (%s) and listed as left out: keep one", prop, target)
		case surfaced:
			if err := c.lookup(target); err != "" {
				c.add("property", "%s is mapped to %s, but %s", prop, target, err)
			}
		case !leftOut:
			c.add("property", "%s (in the 2xx answer of %s) is neither surfaced in the wrapper's types nor listed as deliberately left out: add a field for it to the wrapper type that mirrors %s (and its conversion), then map it in internal/specsync's Expectations.Surfaced, or list it in Expectations.LeftOut with the reason",
				prop, strings.Join(slices.Sorted(slices.Values(users[prop])), ", "), prop[:strings.LastIndex(prop, ".")])
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

// EnumConstants reads the string constants of each named type declared in
// the Go files of dir (tests excluded): constants cannot be listed by
// reflection.
func EnumConstants(dir string) (map[string][]string, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							out[typ.Name] = append(out[typ.Name], s)
						}
					}
				}
			}
		}
	}
	return out, nil
}

// goName turns created_at or listPeople into CreatedAt or ListPeople.
func goName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '_' || r == '-' || r == ' ' {
			up = true
			continue
		}
		if up {
			b.WriteString(strings.ToUpper(string(r)))
			up = false
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// facts compares what the code takes from the spec by hand with the spec.
func (c *checker) facts() {
	found := map[string]string{}
	if len(c.doc.Servers) > 0 {
		found["servers.0.url"] = c.doc.Servers[0].URL
	}
	c.eachParameter(func(op string, p *openapi3.Parameter) {
		if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Default != nil && p.In == openapi3.ParameterInQuery {
			found[op+"."+p.Name+".default"] = fmt.Sprint(p.Schema.Value.Default)
		}
	})
	for _, where := range slices.Sorted(maps.Keys(c.s.Facts)) {
		have, want := c.s.Facts[where], found[where]
		if have != want {
			c.add("fact", "openapi.yaml has %s = %q but the wrapper takes it to be %q: change the wrapper's constant (see internal/specsync's WrapperSurface) to match", where, want, have)
		}
	}
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			for _, status := range c.s.RateLimitStatuses {
				if op.Responses.Value(status) == nil {
					c.add("fact", "operation %s does not document %s, which the wrapper retries and reports as ErrRateLimited: document it, or change the wrapper's rate-limit statuses", op.OperationID, status)
				}
			}
		}
	}
}

// retries fails for an operation the wrapper may not send twice: it
// retries every call, and the proxy forwards reads without AllowWrites.
// GET, HEAD, PUT and DELETE are idempotent; any other method must be
// marked x-read-only: true, saying that it changes nothing.
func (c *checker) retries() {
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			switch method {
			case "GET", "HEAD", "PUT", "DELETE":
				continue
			}
			op := item.Operations()[method]
			if ro, _ := op.Extensions["x-read-only"].(bool); ro {
				continue
			}
			c.add("retry", "operation %s (%s %s) is not safe to retry, but the wrapper retries every call: mark it x-read-only: true if it changes nothing, or make wrapper/retry.go's safeToRetry leave it alone", op.OperationID, method, path)
		}
	}
}
