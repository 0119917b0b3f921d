package peopletest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The kit's structs that are aliases of internal types show no fields in
// go doc by themselves: their doc comments name every field, and keep
// naming them as fields are added.
func TestAliasedStructsNameTheirFieldsInGoDoc(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	docs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok && ts.Assign.IsValid() {
					docs[ts.Name.Name] = gd.Doc.Text()
				}
			}
		}
	}
	for name, typ := range map[string]reflect.Type{
		"ContractError":     reflect.TypeFor[peopletest.ContractError](),
		"Drift":             reflect.TypeFor[peopletest.Drift](),
		"Request":           reflect.TypeFor[peopletest.Request](),
		"RecordedRequest":   reflect.TypeFor[peopletest.RecordedRequest](),
		"Totals":            reflect.TypeFor[peopletest.Totals](),
		"ConformanceTarget": reflect.TypeFor[peopletest.ConformanceTarget](),
		"ConformanceResult": reflect.TypeFor[peopletest.ConformanceResult](),
		"ConformanceReport": reflect.TypeFor[peopletest.ConformanceReport](),
	} {
		t.Run(name, func(t *testing.T) {
			doc, ok := docs[name]
			require.True(t, ok, "%s is an alias with a doc comment", name)
			for i := range typ.NumField() {
				if f := typ.Field(i); f.IsExported() {
					assert.True(t, strings.Contains(doc, f.Name), "the doc of %s names its field %s", name, f.Name)
				}
			}
		})
	}
}
