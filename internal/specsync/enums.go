package specsync

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

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
			c.add("enum", "components.schemas.%s is an enum with no wrapper type: map it to a Go name in modelgen.yaml's enums and in internal/specsync's Expectations.EnumTypes, then go generate", name)
			continue
		}
		have := c.s.Enums[wt]
		var want []string
		for _, v := range schema.Enum {
			want = append(want, fmt.Sprint(v))
		}
		for _, v := range want {
			if !slices.Contains(have, v) {
				c.add("enum", "%s value %q (components.schemas.%s) has no wrapper constant %s%s: run go generate", wt, v, name, wt, goName(v))
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
