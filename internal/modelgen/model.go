package main

import (
	"fmt"
	"strings"
)

// undeclaredField holds, in every response model, the properties the
// answer held that openapi.yaml does not declare.
const undeclaredField = "Undeclared"

// model writes a model's struct and, for an answer's model, its wire
// twin and JSON methods.
func (g *generator) model(s *schema, mc modelConfig) error {
	var fields []field
	for _, p := range s.props {
		f, err := g.fieldOf(s, mc, p)
		if err != nil {
			return err
		}
		if f.goName == undeclaredField {
			return fmt.Errorf("%s.%s would be the Go field %s, which holds undeclared properties", s.name, p.name, undeclaredField)
		}
		fields = append(fields, f)
	}
	if strings.Contains(strings.Join(goTypes(fields), " "), "json.") || !mc.Request {
		g.imports["encoding/json"] = true
	}
	g.comment(mc.Name, "the "+s.name+" schema of openapi.yaml", s.description)
	g.printf("type %s struct {\n", mc.Name)
	for _, f := range fields {
		g.fieldDoc(s, f)
		tag := f.json
		if mc.Request || f.ptr || !f.required {
			tag += ",omitempty"
		}
		g.printf("\t%s %s `json:%q`\n", f.goName, f.goType, tag)
	}
	if mc.Request {
		g.printf("}\n\n")
		return nil
	}
	g.printf("\t// %s holds the properties of the answer that openapi.yaml does not\n\t// declare, as the API sent them, by name; json.Marshal writes them back.\n", undeclaredField)
	g.printf("\t%s map[string]json.RawMessage `json:\"-\"`\n}\n\n", undeclaredField)
	g.wire(mc.Name, fields)
	g.unmarshal(mc.Name, fields)
	g.marshal(mc.Name, fields)
	return nil
}

func goTypes(fields []field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.goType
	}
	return out
}

// fieldDoc is the property's description, and what absence reads as.
func (g *generator) fieldDoc(s *schema, f field) {
	var desc string
	for _, p := range s.props {
		if p.name == f.json {
			desc = p.s.description
		}
	}
	if desc != "" {
		for _, line := range strings.Split(desc, "\n") {
			g.printf("\t// %s\n", strings.TrimSpace(line))
		}
	}
	if f.ptr {
		g.printf("\t// Nil when the answer leaves it out.\n")
	}
}

// wire writes the type the JSON decodes into (without the model's
// methods, and with the wire form of hand-written types) and its turning
// into the model.
func (g *generator) wire(name string, fields []field) {
	w := wireName(name)
	g.printf("// %s is %s as it travels, decoded without %s's methods.\ntype %s struct {\n", w, name, name, w)
	for _, f := range fields {
		g.printf("\t%s %s `json:%q`\n", f.goName, f.wireType, f.json)
	}
	g.printf("}\n\n// model turns the wire form into a *%s; nil stays nil.\nfunc (w *%s) model() *%s {\n\tif w == nil {\n\t\treturn nil\n\t}\n\tv := w.value()\n\treturn &v\n}\n\n", name, w, name)
	g.printf("// value turns the wire form into a %s.\nfunc (w *%s) value() %s {\n\treturn %s{\n", name, w, name, name)
	for _, f := range fields {
		conv := f.conv
		if conv == "" {
			conv = "w." + f.goName
		}
		g.printf("\t\t%s: %s,\n", f.goName, conv)
	}
	g.printf("\t}\n}\n\n")
}

// unmarshal writes UnmarshalJSON and keepUndeclared.
func (g *generator) unmarshal(name string, fields []field) {
	w := wireName(name)
	g.printf("// UnmarshalJSON decodes the API's JSON, keeping undeclared properties.\nfunc (p *%s) UnmarshalJSON(data []byte) error {\n", name)
	g.printf("\tvar w %s\n\tif err := json.Unmarshal(data, &w); err != nil {\n\t\treturn err\n\t}\n\t*p = w.value()\n\tp.keepUndeclared(data)\n\treturn nil\n}\n\n", w)
	g.printf("// keepUndeclared records the members of the object data that %s does\n// not declare, and those of its nested models.\nfunc (p *%s) keepUndeclared(data []byte) {\n", name, name)
	g.printf("\teachMember(data, func(key, value []byte) {\n\t\tswitch string(key) {\n")
	var plain []string
	for _, f := range fields {
		if f.model == "" {
			plain = append(plain, fmt.Sprintf("%q", f.json))
		}
	}
	if len(plain) > 0 {
		g.printf("\t\tcase %s:\n", strings.Join(plain, ", "))
	}
	for _, f := range fields {
		if f.model != "" {
			g.printf("\t\tcase %q:\n\t\t\tif p.%s != nil {\n\t\t\t\tp.%s.keepUndeclared(value)\n\t\t\t}\n", f.json, f.goName, f.goName)
		}
	}
	g.printf("\t\tdefault:\n\t\t\tp.%s = keepMember(p.%s, key, value)\n\t\t}\n\t})\n}\n\n", undeclaredField, undeclaredField)
}

// marshal writes MarshalJSON: the API's names, absent fields left out,
// undeclared properties written back.
func (g *generator) marshal(name string, fields []field) {
	g.printf("// MarshalJSON writes the API's JSON: its property names, the properties\n// left out that the answer left out, and the undeclared ones.\n")
	g.printf("func (p %s) MarshalJSON() ([]byte, error) {\n\tvar o jsonObject\n", name)
	for _, f := range fields {
		switch {
		case f.required:
			g.printf("\to.add(%q, p.%s)\n", f.json, f.goName)
		case f.nullAsEmpty:
			g.printf("\tif %s {\n\t\to.add(%q, nil)\n\t} else {\n\t\to.add(%q, p.%s)\n\t}\n", f.omit, f.json, f.json, f.goName)
		default:
			g.printf("\tif %s {\n\t\to.add(%q, p.%s)\n\t}\n", present(f.omit), f.json, f.goName)
		}
	}
	g.printf("\treturn o.end(p.%s)\n}\n\n", undeclaredField)
}

// present is the opposite of an omit condition.
func present(omit string) string {
	if strings.HasSuffix(omit, ".IsZero()") {
		return "!" + omit
	}
	return strings.Replace(omit, " == ", " != ", 1)
}
