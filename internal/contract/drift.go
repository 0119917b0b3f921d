package contract

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// Kinds of [Drift].
const (
	DriftProperty DriftKind = "property" // a property the spec does not declare
	DriftEnum     DriftKind = "enum"     // a value outside a response enum
	DriftStatus   DriftKind = "status"   // a status the operation does not document
)

// Drift is an answer saying more than openapi.yaml describes: a property
// it does not declare (at any depth), a value outside a response enum, or
// a status the operation does not document. Clients must accept all three,
// so drift never fails a call; it tells a maintainer that the API has
// moved and openapi.yaml should follow (edit it, make generate, make test).
type Drift struct {
	Operation string `json:"operation"` // operationId
	Status    int    `json:"status"`
	// Where is a JSON pointer into the body ("/people/3/zz_undeclared_probe"), or
	// "status".
	Where string    `json:"where"`
	Kind  DriftKind `json:"kind"`  // DriftProperty, DriftEnum or DriftStatus
	Value string    `json:"value"` // an example of what came, cut short
	// Schema is, for a property, the schema its value suggests (its type,
	// nullable for a null, and what an object or array holds): what an
	// overlay that adds it to openapi.yaml says (see [Overlay]).
	Schema map[string]any `json:"schema,omitempty"`
}

// DriftKind is what a drift finding is about.
type DriftKind string

// String describes d on one line, for logs.
func (d Drift) String() string {
	if d.Kind == DriftStatus {
		return fmt.Sprintf("drift: %s answered HTTP %s, a status openapi.yaml does not document for it", d.Operation, d.Value)
	}
	what := "a property openapi.yaml does not declare"
	if d.Kind == DriftEnum {
		what = "a value outside the enum in openapi.yaml"
	}
	return fmt.Sprintf("drift: %s HTTP %d: %s at %s: %s", d.Operation, d.Status, what, d.Where, d.Value)
}

// hash is key's, which is what the logs remember of a finding: a key can
// be as long as a property name a server makes up.
func (d Drift) hash() uint64 {
	h := fnv.New64a()
	h.Write([]byte(d.key()))
	return h.Sum64()
}

// key identifies a finding: operation, location and kind, with array
// indices folded, so that zz_undeclared_probe on every person of a page is one.
func (d Drift) key() string {
	segs := strings.Split(d.Where, "/")
	for i, s := range segs {
		if _, err := strconv.Atoi(s); err == nil && s != "" {
			segs[i] = "*"
		}
	}
	return d.Operation + " " + strings.Join(segs, "/") + " " + string(d.Kind)
}

// maxDriftValue bounds Drift.Value: an example, not the whole value;
// maxDriftWhere bounds Drift.Where, whose names a server chooses.
const (
	maxDriftValue = 80
	maxDriftWhere = 512
)

// findDrift walks a decoded answer against its schema and returns what it
// says beyond the schema, once per location and kind, in pointer order. A
// value outside an enum is replaced in *value by one of the enum's own, so
// that the schema check that follows reports real violations only.
func findDrift(op string, status int, s *openapi3.Schema, value *any) []Drift {
	w := driftWalker{op: op, status: status}
	*value = w.walk(s, *value)
	slices.SortFunc(w.found, func(a, b Drift) int { return strings.Compare(a.Where, b.Where) })
	return w.found
}

// driftWalker keeps the path to the value it is at as segments, and makes
// a pointer of them only for a finding: most answers have none, and the
// walk must cost little next to the schema check.
type driftWalker struct {
	op     string
	status int
	path   []string
	found  []Drift
	seen   map[string]int // finding key -> index in found
}

func (w *driftWalker) add(kind DriftKind, v any) {
	var b strings.Builder
	for _, seg := range w.path {
		b.WriteByte('/')
		b.WriteString(escapePointer(seg))
	}
	d := Drift{Operation: w.op, Status: w.status, Where: apirules.Cut(b.String(), maxDriftWhere), Kind: kind, Value: example(v)}
	if kind == DriftProperty {
		d.Schema = inferSchema(v, 0)
	}
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	k := d.key()
	if i, ok := w.seen[k]; ok {
		// Another value at the same place (the next person of a page):
		// the schema comes from every value, not the first.
		if d.Schema != nil {
			w.found[i].Schema = mergeSchemas(w.found[i].Schema, d.Schema)
		}
		return
	}
	w.seen[k] = len(w.found)
	w.found = append(w.found, d)
}

func (w *driftWalker) walk(s *openapi3.Schema, v any) any {
	if s == nil || v == nil {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		if s.Type != nil && !s.Type.Is("object") {
			return v // a type violation, for the schema check to report
		}
		props, open := properties(s)
		for k, child := range v {
			w.path = append(w.path, k)
			if p, ok := props[k]; ok && p != nil {
				v[k] = w.walk(p.Value, child)
			} else if ap := additional(s); ap != nil {
				v[k] = w.walk(ap, child)
			} else if !open {
				w.add(DriftProperty, child)
			}
			w.path = w.path[:len(w.path)-1]
		}
		return v
	case []any:
		if s.Items != nil {
			for i := range v {
				w.path = append(w.path, strconv.Itoa(i))
				v[i] = w.walk(s.Items.Value, v[i])
				w.path = w.path[:len(w.path)-1]
			}
		}
		return v
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return sameJSON(e, v) }) {
		if _, isString := v.(string); isString || !s.Type.Is("string") {
			w.add(DriftEnum, v)
			return s.Enum[0]
		}
	}
	return v
}

// properties merges the declared properties of s and of its allOf, anyOf
// and oneOf parts; open reports that s declares additional properties
// explicitly (additionalProperties: true), so undeclared ones are expected.
func properties(s *openapi3.Schema) (props openapi3.Schemas, open bool) {
	open = s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has
	if len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 {
		return s.Properties, open
	}
	props = openapi3.Schemas{}
	var add func(*openapi3.Schema)
	add = func(s *openapi3.Schema) {
		if s == nil {
			return
		}
		for k, p := range s.Properties {
			props[k] = p
		}
		if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has {
			open = true
		}
		for _, parts := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, p := range parts {
				if p != nil {
					add(p.Value)
				}
			}
		}
	}
	add(s)
	return props, open
}

// additional is the schema of an open map's values, if s declares one.
func additional(s *openapi3.Schema) *openapi3.Schema {
	if ap := s.AdditionalProperties.Schema; ap != nil {
		return ap.Value
	}
	return nil
}

// sameJSON compares an enum value from the spec with a decoded one
// (numbers decode as json.Number).
func sameJSON(a, b any) bool {
	if n, ok := b.(json.Number); ok {
		return fmt.Sprint(a) == n.String()
	}
	return a == b
}

// cutShort reports whether where was cut to maxDriftWhere: the name at
// its end is not one the API sent.
func cutShort(where string) bool {
	return len(where) > maxDriftWhere-utf8.UTFMax && strings.HasSuffix(where, "…")
}

// example is v as JSON, cut to a readable length.
func example(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return apirules.Cut(string(b), maxDriftValue)
}

// escapePointer escapes a key for a JSON pointer (RFC 6901).
func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}
