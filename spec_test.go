package cloudinarypeople_test

import (
	"context"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadSpec reads openapi.yaml from disk, the file people edit (the copy the
// contract kit embeds, internal/spec, is checked to be the same bytes).
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("openapi.yaml")
	require.NoError(t, err, "openapi.yaml does not load")
	return doc
}

func TestSpecIsValidOpenAPI30(t *testing.T) {
	doc := loadSpec(t)
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3.0."), "openapi: %q, want 3.0.x (oapi-codegen and kin-openapi support 3.0 fully)", doc.OpenAPI)
	// Examples are checked one by one below, with their location in the
	// message; here the structure alone is validated.
	require.NoError(t, doc.Validate(context.Background(), openapi3.DisableExamplesValidation()), "openapi.yaml is not a valid OpenAPI document")
}

func TestSpecExamplesMatchTheirSchemas(t *testing.T) {
	doc := loadSpec(t)
	var checked int
	check := func(where string, schema *openapi3.SchemaRef, value any) {
		t.Helper()
		if !assert.True(t, schema != nil && schema.Value != nil, "%s: example without a schema to check it against", where) {
			return
		}
		checked++
		assert.NoError(t, schema.Value.VisitJSON(value, openapi3.MultiErrors()), "%s: example does not match its schema", where)
	}
	var walkSchema func(where string, s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool)
	walkSchema = func(where string, s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		if s.Value.Example != nil {
			check(where+".example", s, s.Value.Example)
		}
		for _, name := range slices.Sorted(maps.Keys(s.Value.Properties)) {
			walkSchema(where+".properties."+name, s.Value.Properties[name], seen)
		}
		walkSchema(where+".items", s.Value.Items, seen)
		walkSchema(where+".additionalProperties", s.Value.AdditionalProperties.Schema, seen)
	}
	content := func(where string, c openapi3.Content) {
		for _, mt := range slices.Sorted(maps.Keys(c)) {
			m := c[mt]
			w := where + ".content." + mt
			if m.Example != nil {
				check(w+".example", m.Schema, m.Example)
			}
			for _, name := range slices.Sorted(maps.Keys(m.Examples)) {
				ex := m.Examples[name]
				if !assert.NotNil(t, ex.Value, "%s.examples.%s: unresolved example", w, name) {
					continue
				}
				check(w+".examples."+name, m.Schema, ex.Value.Value)
			}
			walkSchema(w+".schema", m.Schema, map[*openapi3.Schema]bool{})
		}
	}
	parameter := func(where string, p *openapi3.Parameter) {
		if p.Example != nil {
			check(where+".example", p.Schema, p.Example)
		}
		for _, name := range slices.Sorted(maps.Keys(p.Examples)) {
			check(where+".examples."+name, p.Schema, p.Examples[name].Value.Value)
		}
	}
	headers := func(where string, h openapi3.Headers) {
		for _, name := range slices.Sorted(maps.Keys(h)) {
			if h[name].Value.Example != nil {
				check(where+".headers."+name+".example", h[name].Value.Schema, h[name].Value.Example)
			}
		}
	}

	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, p := range item.Parameters {
			parameter("paths."+path+".parameters."+p.Value.Name, p.Value)
		}
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			where := "paths." + path + "." + strings.ToLower(method)
			for _, p := range op.Parameters {
				parameter(where+".parameters."+p.Value.Name, p.Value)
			}
			if op.RequestBody != nil {
				content(where+".requestBody", op.RequestBody.Value.Content)
			}
			for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
				r := op.Responses.Value(code).Value
				content(where+".responses."+code, r.Content)
				headers(where+".responses."+code, r.Headers)
			}
		}
	}
	c := doc.Components
	for _, name := range slices.Sorted(maps.Keys(c.Schemas)) {
		walkSchema("components.schemas."+name, c.Schemas[name], map[*openapi3.Schema]bool{})
	}
	for _, name := range slices.Sorted(maps.Keys(c.Parameters)) {
		parameter("components.parameters."+name, c.Parameters[name].Value)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Responses)) {
		content("components.responses."+name, c.Responses[name].Value.Content)
	}
	headers("components", c.Headers)

	// A walk that found nothing would pass vacuously.
	assert.GreaterOrEqual(t, checked, 20, "examples checked; fewer means the walk misses parts of the document")
}

func TestSpecOperations(t *testing.T) {
	doc := loadSpec(t)
	want := map[string]string{
		"listPeople":               "GET /v1_1/{cloud_name}/people",
		"getPerson":                "GET /v1_1/{cloud_name}/people/{person_id}",
		"updatePerson":             "PUT /v1_1/{cloud_name}/people/{person_id}",
		"inspectPeoplePermissions": "POST /v1_1/{cloud_name}/people/inspect",
	}
	errorSchema := "#/components/schemas/ApiError"
	templateParam := regexp.MustCompile(`\{([^}]+)\}`)
	got := map[string]string{}

	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			where := method + " " + path
			assert.NotEmpty(t, op.OperationID, "%s: operationId", where)
			got[op.OperationID] = where
			assert.NotEmpty(t, op.Summary, "%s: summary", where)

			// Path parameters: every {name} in the template is declared, and nothing more.
			declared := map[string]bool{}
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				if p.Value.In == openapi3.ParameterInPath {
					declared[p.Value.Name] = true
					assert.True(t, p.Value.Required, "%s: path parameter %s is not required", where, p.Value.Name)
				}
			}
			for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
				assert.True(t, declared[m[1]], "%s: path parameter {%s} is not declared", where, m[1])
				delete(declared, m[1])
			}
			assert.Empty(t, declared, "%s: declares path parameters that the path does not contain", where)

			// Errors: each operation documents the statuses every call can meet,
			// and every error response uses the shared schema.
			for _, code := range []string{"400", "401", "403", "420", "429", "500", "502", "503", "504"} {
				assert.NotNil(t, op.Responses.Value(code), "%s: no %s response", where, code)
			}
			assert.NotNil(t, op.Responses.Value("200"), "%s: no 200 response", where)
			for code, r := range op.Responses.Map() {
				if code < "400" {
					for _, h := range []string{"X-FeatureRateLimit-Limit", "X-FeatureRateLimit-Remaining", "X-FeatureRateLimit-Reset"} {
						assert.NotNil(t, r.Value.Headers[h], "%s: response %s does not declare header %s", where, code, h)
					}
					continue
				}
				mt := r.Value.Content.Get("application/json")
				assert.True(t, mt != nil && mt.Schema != nil && mt.Schema.Ref == errorSchema, "%s: response %s does not use %s for application/json", where, code, errorSchema)
			}
		}
	}
	assert.Equal(t, want, got, "operations and their routes")
}

func TestSpecServersAndSecurity(t *testing.T) {
	doc := loadSpec(t)
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	for _, u := range []string{"https://api.cloudinary.com", "https://api-eu.cloudinary.com", "https://api-ap.cloudinary.com", "https://{host}"} {
		assert.Contains(t, urls, u, "servers")
	}
	schemes := doc.Components.SecuritySchemes
	for name, scheme := range map[string]string{"basicAuth": "basic", "bearerAuth": "bearer"} {
		s := schemes[name]
		if assert.NotNil(t, s, "securitySchemes.%s", name) {
			assert.Equal(t, "http", s.Value.Type, "securitySchemes.%s", name)
			assert.Equal(t, scheme, s.Value.Scheme, "securitySchemes.%s", name)
		}
	}
	assert.Len(t, doc.Security, 2, "security: basicAuth or bearerAuth on every operation")
}

// The service adds properties over time; a closed schema would make clients
// and the contract check reject answers that are fine.
func TestSpecSchemasStayOpen(t *testing.T) {
	doc := loadSpec(t)
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		var walk func(where string, s *openapi3.SchemaRef)
		walk = func(where string, s *openapi3.SchemaRef) {
			if s == nil || s.Value == nil || s.Ref != "" && where != "components.schemas."+name {
				return
			}
			if ap := s.Value.AdditionalProperties.Has; ap != nil {
				assert.True(t, *ap, "%s: additionalProperties: false closes the schema to new properties", where)
			}
			for _, p := range slices.Sorted(maps.Keys(s.Value.Properties)) {
				walk(where+".properties."+p, s.Value.Properties[p])
			}
			walk(where+".items", s.Value.Items)
		}
		walk("components.schemas."+name, doc.Components.Schemas[name])
	}
	person := doc.Components.Schemas["PersonDetails"]
	require.NotNil(t, person)
	assert.True(t, person.Value.Properties["name"].Value.Nullable, "PersonDetails.name must be nullable (unnamed people have name: null)")
}

func TestSpecDocumentsEveryErrorStatusOfTheAPI(t *testing.T) {
	doc := loadSpec(t)
	op := doc.Paths.Value("/v1_1/{cloud_name}/people/{person_id}").Put
	for _, code := range []int{400, 401, 403, 404, 420, 429, 500, 502, 503, 504} {
		assert.NotNil(t, op.Responses.Status(code), "updatePerson: status %d (%s) undocumented", code, http.StatusText(code))
	}
	assert.NotNil(t, op.Responses.Status(503).Value.Content.Get("text/html"), "updatePerson: 503 must allow the HTML bodies proxies send")
	maxResults := doc.Paths.Value("/v1_1/{cloud_name}/people").Get.Parameters.GetByInAndName("query", "max_results")
	s := maxResults.Schema.Value
	require.NotNil(t, s.Min)
	require.NotNil(t, s.Max)
	assert.Equal(t, []float64{1, 100}, []float64{*s.Min, *s.Max}, "listPeople: max_results bounds")
}

// The spec claims only what the evidence (Cloudinary's published schema and
// the Python SDK's models and fixtures) supports: a live answer that leaves
// out a field no source requires must not count as drift.
func TestSpecClaimsOnlyWhatTheEvidenceSupports(t *testing.T) {
	doc := loadSpec(t)
	schema := func(t *testing.T, name string) *openapi3.Schema {
		t.Helper()
		ref := doc.Components.Schemas[name]
		require.NotNil(t, ref, "components.schemas.%s", name)
		return ref.Value
	}
	t.Run("required response properties", func(t *testing.T) {
		for name, want := range map[string][]string{
			"PeoplePage":            {"people"},
			"PersonEnvelope":        {"person"},
			"PersonDetails":         {"id"},
			"UpdatedPerson":         {"person_id"},
			"PermissionsInspection": {"inspections"},
		} {
			assert.ElementsMatch(t, want, schema(t, name).Required, "components.schemas.%s.required", name)
		}
	})
	t.Run("name stays nullable", func(t *testing.T) {
		for _, name := range []string{"PersonDetails", "UpdatedPerson"} {
			assert.True(t, schema(t, name).Properties["name"].Value.Nullable, "%s.name", name)
		}
	})
	t.Run("next_cursor may be null", func(t *testing.T) {
		assert.True(t, schema(t, "PeoplePage").Properties["next_cursor"].Value.Nullable)
	})
	t.Run("no operation documents 409", func(t *testing.T) {
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				assert.Nil(t, op.Responses.Status(http.StatusConflict), "%s %s documents a 409 no source shows", method, path)
			}
		}
	})
	t.Run("inspect action values are any JSON value", func(t *testing.T) {
		actions := schema(t, "PersonInspection").Properties["actions"].Value
		require.NotNil(t, actions.AdditionalProperties.Schema)
		for _, v := range []any{map[string]any{}, "context", 3.0, true, []any{1.0}} {
			assert.NoError(t, actions.AdditionalProperties.Schema.Value.VisitJSON(v), "action value %#v", v)
		}
	})
}
