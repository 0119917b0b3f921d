package conformance

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	cloudinarypeople "github.com/cldpeople/cloudinary-people-go"
)

func caseNames(t *testing.T, yaml string) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(yaml))
	require.NoError(t, err)
	var names []string
	for _, c := range deriveCases(doc, true) {
		names = append(names, c.op+": "+c.name)
	}
	return names
}

// The cases come from the spec, so they follow it when it grows.
func TestConformanceCasesFollowTheSpec(t *testing.T) {
	t.Parallel()
	spec := string(cloudinarypeople.OpenAPIYAML)
	base := caseNames(t, spec)
	edit := func(t *testing.T, old, new string) string {
		t.Helper()
		require.Equal(t, 1, strings.Count(spec, old))
		return strings.Replace(spec, old, new, 1)
	}
	cases := []struct {
		name  string
		yaml  string
		added []string
	}{
		{"an enum value", edit(t, "enum: [name, created_at, updated_at]", "enum: [name, created_at, updated_at, zz_undeclared_probe]"),
			[]string{"listPeople: sort_by=zz_undeclared_probe"}},
		{"a bound", edit(t, "          minLength: 1\n          maxLength: 255\n", "          minLength: 2\n          maxLength: 255\n"),
			[]string{"updatePerson: name of 1 characters (minLength 2)"}},
		{"a query parameter", edit(t, "        - name: name_prefix\n", "        - name: zz_undeclared_probe\n          in: query\n          schema:\n            type: integer\n            minimum: 1\n            maximum: 9\n        - name: name_prefix\n"),
			[]string{"listPeople: zz_undeclared_probe=1 (minimum)", "listPeople: zz_undeclared_probe=0 (below minimum)", "listPeople: zz_undeclared_probe=9 (maximum)", "listPeople: zz_undeclared_probe=10 (above maximum)"}},
		{"an update field", edit(t, "        thumbnail_asset_id:\n          type: string\n          description: An asset that shows this person's face.\n",
			"        thumbnail_asset_id:\n          type: string\n          description: An asset that shows this person's face.\n        note:\n          type: string\n          maxLength: 10\n          example: hi\n"),
			[]string{"updatePerson: valid note", "updatePerson: note of 11 characters (maxLength 10)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := caseNames(t, tc.yaml)
			assert.GreaterOrEqual(t, len(got), len(base))
			for _, want := range tc.added {
				assert.Contains(t, got, want)
				assert.NotContains(t, base, want)
			}
		})
	}
}
