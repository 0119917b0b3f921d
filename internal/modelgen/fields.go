package main

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// field is one property of a model, as the generated code holds it.
type field struct {
	json, goName     string
	goType, wireType string
	conv             string // turns w.<goName> into the model's value; "" for as it is
	required, ptr    bool
	nullAsEmpty      bool   // a nullable string held by value: "" is sent as null
	model            string // the nested model's Go name, for its undeclared properties
	omit             string // the condition under which MarshalJSON leaves it out
}

// initialisms are written in capitals in Go names, as Go and the
// generated package write them.
var initialisms = []string{"ID", "URL", "API", "HTTP", "JSON", "UUID", "HTML", "URI", "SQL", "IP"}

// goName is the exported Go name of a property or an enum value:
// face_count -> FaceCount, asset_id -> AssetID, created-at -> CreatedAt.
func goName(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if up := strings.ToUpper(part); slices.Contains(initialisms, up) {
			b.WriteString(up)
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	if b.Len() == 0 || unicode.IsDigit([]rune(b.String())[0]) {
		return "X" + b.String()
	}
	return b.String()
}

// fieldOf works out how model m holds property p.
func (g *generator) fieldOf(m *schema, mc modelConfig, p property) (field, error) {
	f := field{json: p.name, goName: goName(p.name), required: slices.Contains(m.required, p.name)}
	if name, ok := mc.Fields[p.name]; ok {
		f.goName = name
	}
	byValue := f.required || slices.Contains(g.cfg.Values, m.name+"."+p.name)
	s := p.s
	if s.ref != "" {
		return g.refField(f, s.ref, byValue || mc.Request)
	}
	base, zero, err := g.inlineType(s)
	if err != nil {
		return f, fmt.Errorf("%s.%s: %w", m.name, p.name, err)
	}
	f.goType, f.wireType = base, base
	switch {
	case zero == "":
		f.omit = "p." + f.goName + " == nil"
	case byValue || (mc.Request && base == "string"):
		f.nullAsEmpty = s.nullable && base == "string"
		f.omit = "p." + f.goName + zero
	default:
		f.ptr, f.goType, f.wireType = true, "*"+base, "*"+base
		f.omit = "p." + f.goName + " == nil"
	}
	return f, nil
}

// refField is a property whose schema is a component: an enum, a model or
// a hand-written type.
func (g *generator) refField(f field, ref string, byValue bool) (field, error) {
	if enum, ok := g.cfg.Enums[ref]; ok {
		f.goType, f.wireType, f.omit = enum, enum, "p."+f.goName+` == ""`
		if !byValue {
			f.ptr, f.goType, f.wireType, f.omit = true, "*"+enum, "*"+enum, "p."+f.goName+" == nil"
		}
		return f, nil
	}
	if mc, ok := g.cfg.Models[ref]; ok {
		f.goType, f.wireType, f.model = "*"+mc.Name, "*"+wireName(mc.Name), mc.Name
		f.conv, f.omit = "w."+f.goName+".model()", "p."+f.goName+" == nil"
		return f, nil
	}
	if t, ok := g.cfg.Types[ref]; ok {
		f.goType, f.wireType, f.conv, f.omit = t.Go, t.Wire, t.From+"(w."+f.goName+")", "p."+f.goName+" == nil"
		return f, nil
	}
	f.goType, f.wireType, f.omit = "json.RawMessage", "json.RawMessage", "p."+f.goName+" == nil"
	return f, nil
}

// inlineType is the Go type of an inline schema, and how a value of it
// reads as absent (" == \"\"", ".IsZero()"); "" for a type whose absence
// is nil.
func (g *generator) inlineType(s *schema) (string, string, error) {
	switch s.typ {
	case "string":
		if s.format == "date-time" {
			g.imports["time"] = true
			return "time.Time", ".IsZero()", nil
		}
		return "string", ` == ""`, nil
	case "integer":
		return "int64", " == 0", nil
	case "number":
		return "float64", " == 0", nil
	case "boolean":
		return "bool", " == false", nil
	case "array":
		if s.items == nil {
			return "[]json.RawMessage", "", nil
		}
		if s.items.ref != "" {
			if mc, ok := g.cfg.Models[s.items.ref]; ok {
				return "[]" + mc.Name, "", nil
			}
			if enum, ok := g.cfg.Enums[s.items.ref]; ok {
				return "[]" + enum, "", nil
			}
			return "[]json.RawMessage", "", nil
		}
		elem, _, err := g.inlineType(s.items)
		return "[]" + elem, "", err
	}
	return "json.RawMessage", "", nil
}

func wireName(model string) string {
	return strings.ToLower(model[:1]) + model[1:] + "Wire"
}
