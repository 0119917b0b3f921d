package specsync

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

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
