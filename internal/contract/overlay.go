package contract

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "github.com/oasdiff/yaml3"
)

// DriftOverlay turns drift findings into an OpenAPI Overlay 1.0.0 document
// that adds to openapi.yaml what the live API said beyond it: a property
// (with the schema its value suggests), an enum value, a status. Every
// action is additive, so applying it breaks no client; a finding the
// overlay cannot place (a location through a oneOf, a value cut short) is
// left out and named in the overlay's description, for a person to decide.
// `make adopt OVERLAY=FILE` applies the result.
func Overlay(findings []Drift) ([]byte, error) {
	v, err := NewValidator()
	if err != nil {
		return nil, err
	}
	o := overlayDoc{Overlay: "1.0.0"}
	o.Info.Title = "Drift seen in live People API traffic"
	o.Info.Version = time.Now().UTC().Format("2006-01-02T15:04:05Z")
	var skipped []string
	seen := map[string]bool{}
	for _, d := range findings {
		a, why := v.overlayAction(d)
		if why != "" {
			skipped = append(skipped, d.String()+": "+why)
			continue
		}
		key := a.Target + "\x00" + fmt.Sprint(a.Update)
		if seen[key] {
			continue
		}
		seen[key] = true
		o.Actions = append(o.Actions, a)
	}
	o.Info.Description = fmt.Sprintf("%d additions to openapi.yaml; review each, then make adopt OVERLAY=<this file>.", len(o.Actions))
	if len(skipped) > 0 {
		o.Info.Description += " Not placed, for a person to decide: " + strings.Join(skipped, "; ")
	}
	return yaml.Marshal(o)
}

type overlayDoc struct {
	Overlay string `yaml:"overlay"`
	Info    struct {
		Title       string `yaml:"title"`
		Version     string `yaml:"version"`
		Description string `yaml:"description,omitempty"`
	} `yaml:"info"`
	Actions []overlayAction `yaml:"actions"`
}

type overlayAction struct {
	Target      string `yaml:"target"`
	Description string `yaml:"description,omitempty"`
	Update      any    `yaml:"update"`
}

// overlayAction is what adds d to openapi.yaml, or why none can.
func (v *Validator) overlayAction(d Drift) (overlayAction, string) {
	path, method, op := v.operation(d.Operation)
	if op == nil {
		return overlayAction{}, "no operation " + d.Operation + " in openapi.yaml"
	}
	opPath := fmt.Sprintf("$.paths['%s'].%s", path, strings.ToLower(method))
	switch d.Kind {
	case DriftStatus:
		code, err := strconv.Atoi(d.Value)
		if err != nil {
			return overlayAction{}, "not a status"
		}
		resp := map[string]any{"description": fmt.Sprintf("%s answered %d in live traffic; say when, and what it means.", d.Operation, code)}
		if ref := errorSchemaRef(op); ref != "" && code >= 400 {
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": ref}}}
		}
		return overlayAction{Target: opPath + ".responses", Description: d.String(),
			Update: map[string]any{strconv.Itoa(code): resp}}, ""
	case DriftProperty, DriftEnum:
		segs := pointerSegments(d.Where)
		if d.Kind == DriftProperty {
			if len(segs) == 0 {
				return overlayAction{}, "no property name"
			}
			segs = segs[:len(segs)-1]
		}
		target, schema, why := v.schemaAt(op, opPath, d.Status, segs)
		if why != "" {
			return overlayAction{}, why
		}
		if d.Kind == DriftEnum {
			var value any
			if strings.HasSuffix(d.Value, "…") || json.Unmarshal([]byte(d.Value), &value) != nil {
				return overlayAction{}, "the value was cut short"
			}
			if len(schema.Enum) == 0 {
				return overlayAction{}, "the schema there has no enum"
			}
			return overlayAction{Target: target + ".enum", Description: d.String(), Update: []any{value}}, ""
		}
		name := pointerSegments(d.Where)[len(pointerSegments(d.Where))-1]
		if cutShort(d.Where) {
			return overlayAction{}, "the property's name is too long to keep, and was cut short"
		}
		s := d.Schema
		if s == nil {
			s = map[string]any{}
		}
		if c := conflicts(s, ""); len(c) > 0 {
			return overlayAction{}, "values of conflicting types were seen at " + strings.Join(c, "; ")
		}
		return overlayAction{Target: target, Description: d.String(),
			Update: map[string]any{"properties": map[string]any{name: s}}}, ""
	}
	return overlayAction{}, "an unknown kind of finding"
}

// operation finds an operation of openapi.yaml by its operationId.
func (v *Validator) operation(id string) (path, method string, op *openapi3.Operation) {
	for p, item := range v.doc.Paths.Map() {
		for m, o := range item.Operations() {
			if o.OperationID == id {
				return p, m, o
			}
		}
	}
	return "", "", nil
}

// schemaAt walks from an operation's answer of status down segs (JSON
// pointer segments into the body) and returns the JSONPath of the schema
// it ends at, in openapi.yaml as written: a schema reached through a $ref
// is addressed in components, where the change belongs.
func (v *Validator) schemaAt(op *openapi3.Operation, opPath string, status int, segs []string) (string, *openapi3.Schema, string) {
	rr := op.Responses.Status(status)
	if rr == nil || rr.Value == nil {
		return "", nil, fmt.Sprintf("openapi.yaml documents no %d for the operation", status)
	}
	path := fmt.Sprintf("%s.responses['%d']", opPath, status)
	if rr.Ref != "" {
		path = refPath(rr.Ref)
	}
	mt := rr.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return "", nil, "the answer has no JSON schema in openapi.yaml"
	}
	ref := mt.Schema
	path += ".content['application/json'].schema"
	for _, seg := range segs {
		if ref.Ref != "" {
			path = refPath(ref.Ref)
		}
		s := ref.Value
		if _, err := strconv.Atoi(seg); err == nil && s.Items != nil {
			ref, path = s.Items, path+".items"
			continue
		}
		p, ok := s.Properties[seg]
		if !ok || p == nil {
			return "", nil, fmt.Sprintf("openapi.yaml has no %q to follow there", seg)
		}
		ref, path = p, path+".properties['"+seg+"']"
	}
	if ref.Ref != "" {
		path = refPath(ref.Ref)
	}
	return path, ref.Value, ""
}

// refPath is a local $ref ("#/components/schemas/Person") as a JSONPath.
func refPath(ref string) string {
	parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	path := "$"
	for _, p := range parts {
		path += "['" + strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~") + "']"
	}
	return path
}

// errorSchemaRef is the $ref of the error schema the operation answers
// its documented 4xx with, so that a new error status says the same.
func errorSchemaRef(op *openapi3.Operation) string {
	for _, code := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusUnauthorized} {
		rr := op.Responses.Status(code)
		if rr == nil || rr.Value == nil {
			continue
		}
		if mt := rr.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Ref != "" {
			return mt.Schema.Ref
		}
	}
	return ""
}

func pointerSegments(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

// Bounds on an inferred schema: a value can be as large as a server makes it.
const (
	maxInferDepth      = 4
	maxInferProperties = 50
)

// inferSchema is the schema a value suggests: string, integer, number,
// boolean, object (with what it holds) or array (with what its items
// hold); a null only says the property is nullable.
func inferSchema(v any, depth int) map[string]any {
	switch v := v.(type) {
	case nil:
		return map[string]any{"nullable": true}
	case bool:
		return map[string]any{"type": "boolean"}
	case string:
		return map[string]any{"type": "string"}
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return map[string]any{"type": "integer"}
		}
		return map[string]any{"type": "number"}
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return map[string]any{"type": "integer"}
		}
		return map[string]any{"type": "number"}
	case map[string]any:
		s := map[string]any{"type": "object"}
		if depth >= maxInferDepth {
			return s
		}
		props := map[string]any{}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys[:min(len(keys), maxInferProperties)] {
			props[k] = inferSchema(v[k], depth+1)
		}
		if len(props) > 0 {
			s["properties"] = props
		}
		return s
	case []any:
		s := map[string]any{"type": "array"}
		if depth >= maxInferDepth || len(v) == 0 {
			return s
		}
		items := inferSchema(v[0], depth+1)
		for _, e := range v[1:min(len(v), 20)] {
			items = mergeSchemas(items, inferSchema(e, depth+1))
		}
		s["items"] = items
		return s
	}
	return map[string]any{}
}

// mergeSchemas joins what two values of one place suggest: a null makes
// the other nullable, an integer and a number make a number, objects
// join their properties and arrays their items. Types that differ
// otherwise are kept as a conflict (see conflicts), for a person to
// decide: a guess would turn the other answers into violations.
func mergeSchemas(a, b map[string]any) map[string]any {
	out := map[string]any{}
	if a["nullable"] == true || b["nullable"] == true {
		out["nullable"] = true
	}
	types := append(schemaTypes(a), schemaTypes(b)...)
	slices.Sort(types)
	types = slices.Compact(types)
	if slices.Contains(types, "integer") && slices.Contains(types, "number") {
		types = slices.DeleteFunc(types, func(t string) bool { return t == "integer" })
	}
	switch {
	case len(types) > 1:
		out[conflictKey] = types
	case len(types) == 1:
		out["type"] = types[0]
		if props := mergeProperties(a["properties"], b["properties"]); len(props) > 0 {
			out["properties"] = props
		}
		ia, _ := a["items"].(map[string]any)
		ib, _ := b["items"].(map[string]any)
		switch {
		case ia != nil && ib != nil:
			out["items"] = mergeSchemas(ia, ib)
		case ia != nil:
			out["items"] = ia
		case ib != nil:
			out["items"] = ib
		}
	}
	return out
}

// conflictKey holds, in an inferred schema, the types of values seen at
// one place that no one type covers.
const conflictKey = "x-conflicting-types"

func schemaTypes(s map[string]any) []string {
	if c, ok := s[conflictKey].([]string); ok {
		return slices.Clone(c)
	}
	if t, ok := s["type"].(string); ok {
		return []string{t}
	}
	return nil
}

func mergeProperties(a, b any) map[string]any {
	pa, _ := a.(map[string]any)
	pb, _ := b.(map[string]any)
	out := maps.Clone(pa)
	if out == nil {
		out = map[string]any{}
	}
	for k, vb := range pb {
		sb, _ := vb.(map[string]any)
		if sa, ok := out[k].(map[string]any); ok && sb != nil {
			out[k] = mergeSchemas(sa, sb)
		} else {
			out[k] = vb
		}
	}
	return out
}

// conflicts names the places in s where values of conflicting types were
// seen, "" for s itself.
func conflicts(s map[string]any, at string) []string {
	var out []string
	if c, ok := s[conflictKey].([]string); ok {
		out = append(out, fmt.Sprintf("%s (%s)", cmp.Or(at, "the value"), strings.Join(c, ", ")))
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(props)) {
			if p, ok := props[k].(map[string]any); ok {
				out = append(out, conflicts(p, at+"/"+k)...)
			}
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		out = append(out, conflicts(items, at+"/*")...)
	}
	return out
}
