package specsync_test

import (
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/internal/specsync"
)

const (
	specPath   = "../../openapi.yaml"
	wrapperDir = "../../wrapper"
)

func readSpec(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(specPath)
	require.NoError(t, err)
	return string(b)
}

func load(t *testing.T, yaml string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(yaml))
	require.NoError(t, err)
	return doc
}

func check(t *testing.T, yaml string) []string {
	t.Helper()
	s, err := specsync.WrapperSurface(wrapperDir)
	require.NoError(t, err)
	var out []string
	for _, p := range specsync.Check(load(t, yaml), s, specsync.WrapperExpectations) {
		out = append(out, p.String())
	}
	return out
}

// TestWrapperMatchesSpec is the sync check itself: make test fails here when
// openapi.yaml changed in a way the wrapper has not followed.
func TestWrapperMatchesSpec(t *testing.T) {
	problems := check(t, readSpec(t))
	assert.Empty(t, problems, "openapi.yaml and the wrapper have drifted apart:\n%s", strings.Join(problems, "\n"))
}

// replace edits the spec, failing if old is not there exactly once.
func replace(t *testing.T, spec, old, new string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(spec, old), "the spec no longer holds %q", old)
	return strings.Replace(spec, old, new, 1)
}

func TestCheckFindsEachKindOfGap(t *testing.T) {
	spec := readSpec(t)
	cases := []struct {
		name   string
		alter  func(string) string
		expect []string // substrings of one reported problem each
	}{
		{
			name: "an added enum value",
			alter: func(s string) string {
				return replace(t, s, "enum: [name, created_at, updated_at]", "enum: [name, created_at, updated_at, zz_undeclared_probe]")
			},
			expect: []string{`enum: SortBy value "zz_undeclared_probe" (components.schemas.SortBy) has no wrapper constant SortByZzUndeclaredProbe: run go generate`},
		},
		{
			name:   "a removed enum value",
			alter:  func(s string) string { return replace(t, s, "enum: [asc, desc]", "enum: [asc]") },
			expect: []string{`enum: wrapper constant DirectionDesc = "desc" is not a value of components.schemas.Direction`},
		},
		{
			name: "a new enum schema",
			alter: func(s string) string {
				return replace(t, s, "    PersonStatus:\n", "    Mood:\n      type: string\n      enum: [happy, sad]\n    PersonStatus:\n")
			},
			expect: []string{"enum: components.schemas.Mood is an enum with no wrapper type"},
		},
		{
			name: "an added response property",
			alter: func(s string) string {
				return replace(t, s, "        created_at:\n          type: string\n          format: date-time\n        updated_at:",
					"        zz_undeclared_probe:\n          type: integer\n        created_at:\n          type: string\n          format: date-time\n        updated_at:")
			},
			expect: []string{"property: PersonDetails.zz_undeclared_probe (in the 2xx answer of getPerson, listPeople) is neither surfaced in the wrapper's types nor listed as deliberately left out"},
		},
		{
			name: "a changed maximum",
			alter: func(s string) string {
				return replace(t, s, "            maximum: 100\n", "            maximum: 500\n")
			},
			expect: []string{"bound: openapi.yaml sets listPeople.max_results.maximum = 500 but the wrapper enforces 100"},
		},
		{
			name:   "a changed name length",
			alter:  func(s string) string { return replace(t, s, "maxLength: 255", "maxLength: 128") },
			expect: []string{"bound: openapi.yaml sets UpdatePersonRequest.name.maxLength = 128 but the wrapper enforces 255"},
		},
		{
			name: "a new operation",
			alter: func(s string) string {
				return replace(t, s, "    put:\n      operationId: updatePerson",
					"    delete:\n      operationId: deletePerson\n      responses:\n        '204':\n          description: Deleted.\n    put:\n      operationId: updatePerson")
			},
			expect: []string{
				"fact: operation deletePerson does not document 420",
				"fact: operation deletePerson does not document 429",
				"operation: operation deletePerson (DELETE /v1_1/{cloud_name}/people/{person_id}) has no wrapper method: add (*Client).DeletePerson",
			},
		},
		{
			name: "a newly required field",
			alter: func(s string) string {
				return replace(t, s, "    PersonDetails:\n      type: object\n      required: [id]", "    PersonDetails:\n      type: object\n      required: [id, status]")
			},
			expect: []string{"required: components.schemas.PersonDetails now requires [id status]; the wrapper relies on [id]"},
		},
		{
			name: "a dropped required field",
			alter: func(s string) string {
				return replace(t, s, "    UpdatedPerson:\n      type: object\n      required: [person_id]", "    UpdatedPerson:\n      type: object")
			},
			expect: []string{"required: components.schemas.UpdatedPerson now requires []; the wrapper relies on [person_id]"},
		},
	}
	cases = append(cases, []struct {
		name   string
		alter  func(string) string
		expect []string
	}{
		{
			name:   "a POST that may change something",
			alter:  func(s string) string { return replace(t, s, "      x-read-only: true\n", "") },
			expect: []string{"retry: operation inspectPeoplePermissions (POST /v1_1/{cloud_name}/people/inspect) is not safe to retry"},
		},
		{
			name: "another default host",
			alter: func(s string) string {
				return replace(t, s, "  - url: https://api.cloudinary.com\n", "  - url: https://api.example.com\n")
			},
			expect: []string{`fact: openapi.yaml has servers.0.url = "https://api.example.com" but the wrapper takes it to be "https://api.cloudinary.com"`},
		},
		{
			name:   "another default page size",
			alter:  func(s string) string { return replace(t, s, "            default: 50\n", "            default: 20\n") },
			expect: []string{`fact: openapi.yaml has listPeople.max_results.default = "20" but the wrapper takes it to be "50"`},
		},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := check(t, tc.alter(spec))
			require.Len(t, got, len(tc.expect), "problems: %q", got)
			for i, want := range tc.expect {
				assert.Contains(t, got[i], want)
			}
		})
	}
}

func TestEnumConstantsReadsTheWrappersTypes(t *testing.T) {
	enums, err := specsync.EnumConstants(wrapperDir)
	require.NoError(t, err)
	var status, sortBy []string
	for _, v := range generated.PersonStatusValues() {
		status = append(status, string(v))
	}
	for _, v := range generated.SortByValues() {
		sortBy = append(sortBy, string(v))
	}
	assert.ElementsMatch(t, status, enums["Status"], "as openapi.yaml has them")
	assert.ElementsMatch(t, sortBy, enums["SortBy"])
}
