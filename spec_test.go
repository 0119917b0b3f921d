package cloudinarypeople_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadSpec reads openapi.yaml from disk, not the embedded copy in generated/,
// so the checks run on the file people edit.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("openapi.yaml")
	if err != nil {
		t.Fatalf("openapi.yaml does not load: %v", err)
	}
	return doc
}

func TestSpecIsValidOpenAPI30(t *testing.T) {
	doc := loadSpec(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Errorf("openapi: %q, want 3.0.x (oapi-codegen and kin-openapi support 3.0 fully)", doc.OpenAPI)
	}
	// Examples are checked one by one below, with their location in the
	// message; here the structure alone is validated.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
}

func TestSpecExamplesMatchTheirSchemas(t *testing.T) {
	doc := loadSpec(t)
	var checked int
	check := func(where string, schema *openapi3.SchemaRef, value any) {
		t.Helper()
		if schema == nil || schema.Value == nil {
			t.Errorf("%s: example without a schema to check it against", where)
			return
		}
		checked++
		if err := schema.Value.VisitJSON(value, openapi3.MultiErrors()); err != nil {
			t.Errorf("%s: example does not match its schema: %v", where, err)
		}
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
		for _, name := range sortedKeys(s.Value.Properties) {
			walkSchema(where+".properties."+name, s.Value.Properties[name], seen)
		}
		walkSchema(where+".items", s.Value.Items, seen)
		walkSchema(where+".additionalProperties", s.Value.AdditionalProperties.Schema, seen)
	}
	content := func(where string, c openapi3.Content) {
		for _, mt := range sortedKeys(c) {
			m := c[mt]
			w := where + ".content." + mt
			if m.Example != nil {
				check(w+".example", m.Schema, m.Example)
			}
			for _, name := range sortedKeys(m.Examples) {
				ex := m.Examples[name]
				if ex.Value == nil {
					t.Errorf("%s.examples.%s: unresolved example", w, name)
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
		for _, name := range sortedKeys(p.Examples) {
			check(where+".examples."+name, p.Schema, p.Examples[name].Value.Value)
		}
	}
	headers := func(where string, h openapi3.Headers) {
		for _, name := range sortedKeys(h) {
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
		for _, method := range sortedKeys(item.Operations()) {
			op := item.Operations()[method]
			where := "paths." + path + "." + strings.ToLower(method)
			for _, p := range op.Parameters {
				parameter(where+".parameters."+p.Value.Name, p.Value)
			}
			if op.RequestBody != nil {
				content(where+".requestBody", op.RequestBody.Value.Content)
			}
			for _, code := range sortedKeys(op.Responses.Map()) {
				r := op.Responses.Value(code).Value
				content(where+".responses."+code, r.Content)
				headers(where+".responses."+code, r.Headers)
			}
		}
	}
	c := doc.Components
	for _, name := range sortedKeys(c.Schemas) {
		walkSchema("components.schemas."+name, c.Schemas[name], map[*openapi3.Schema]bool{})
	}
	for _, name := range sortedKeys(c.Parameters) {
		parameter("components.parameters."+name, c.Parameters[name].Value)
	}
	for _, name := range sortedKeys(c.Responses) {
		content("components.responses."+name, c.Responses[name].Value.Content)
	}
	headers("components", c.Headers)

	// A walk that found nothing would pass vacuously.
	if checked < 20 {
		t.Errorf("checked only %d examples; the walk is missing parts of the document", checked)
	}
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
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", where)
			}
			got[op.OperationID] = where
			if op.Summary == "" {
				t.Errorf("%s: no summary", where)
			}

			// Path parameters: every {name} in the template is declared, and nothing more.
			declared := map[string]bool{}
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				if p.Value.In == openapi3.ParameterInPath {
					declared[p.Value.Name] = true
					if !p.Value.Required {
						t.Errorf("%s: path parameter %s is not required", where, p.Value.Name)
					}
				}
			}
			for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter {%s} is not declared", where, m[1])
				}
				delete(declared, m[1])
			}
			for name := range declared {
				t.Errorf("%s: declares path parameter %s that the path does not contain", where, name)
			}

			// Errors: each operation documents the statuses every call can meet,
			// and every error response uses the shared schema.
			for _, code := range []string{"400", "401", "403", "420", "429", "500", "502", "503", "504"} {
				if op.Responses.Value(code) == nil {
					t.Errorf("%s: no %s response", where, code)
				}
			}
			if op.Responses.Value("200") == nil {
				t.Errorf("%s: no 200 response", where)
			}
			for code, r := range op.Responses.Map() {
				if code < "400" {
					for _, h := range []string{"X-FeatureRateLimit-Limit", "X-FeatureRateLimit-Remaining", "X-FeatureRateLimit-Reset"} {
						if r.Value.Headers[h] == nil {
							t.Errorf("%s: response %s does not declare header %s", where, code, h)
						}
					}
					continue
				}
				mt := r.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Ref != errorSchema {
					t.Errorf("%s: response %s does not use %s for application/json", where, code, errorSchema)
				}
			}
		}
	}
	for id, route := range want {
		if got[id] != route {
			t.Errorf("operation %s: found at %q, want %q", id, got[id], route)
		}
	}
	if len(got) != len(want) {
		t.Errorf("operations: got %v, want exactly %v", sortedKeys(got), sortedKeys(want))
	}
}

func TestSpecServersAndSecurity(t *testing.T) {
	doc := loadSpec(t)
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	for _, u := range []string{"https://api.cloudinary.com", "https://api-eu.cloudinary.com", "https://api-ap.cloudinary.com", "https://{host}"} {
		if !slices.Contains(urls, u) {
			t.Errorf("servers: %q missing (have %v)", u, urls)
		}
	}
	schemes := doc.Components.SecuritySchemes
	if s := schemes["basicAuth"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "basic" {
		t.Errorf("securitySchemes.basicAuth: want http basic")
	}
	if s := schemes["bearerAuth"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("securitySchemes.bearerAuth: want http bearer")
	}
	if len(doc.Security) != 2 {
		t.Errorf("security: want basicAuth or bearerAuth on every operation, got %v", doc.Security)
	}
}

// The service adds properties over time; a closed schema would make clients
// and the contract check reject answers that are fine.
func TestSpecSchemasStayOpen(t *testing.T) {
	doc := loadSpec(t)
	for _, name := range sortedKeys(doc.Components.Schemas) {
		var walk func(where string, s *openapi3.SchemaRef)
		walk = func(where string, s *openapi3.SchemaRef) {
			if s == nil || s.Value == nil || s.Ref != "" && where != "components.schemas."+name {
				return
			}
			if ap := s.Value.AdditionalProperties.Has; ap != nil && !*ap {
				t.Errorf("%s: additionalProperties: false closes the schema to new properties", where)
			}
			for _, p := range sortedKeys(s.Value.Properties) {
				walk(where+".properties."+p, s.Value.Properties[p])
			}
			walk(where+".items", s.Value.Items)
		}
		walk("components.schemas."+name, doc.Components.Schemas[name])
	}
	if person := doc.Components.Schemas["PersonDetails"]; person == nil || !person.Value.Properties["name"].Value.Nullable {
		t.Errorf("components.schemas.PersonDetails.properties.name: must be nullable (unnamed people have name: null)")
	}
}

func TestSpecDocumentsEveryErrorStatusOfTheAPI(t *testing.T) {
	doc := loadSpec(t)
	op := doc.Paths.Value("/v1_1/{cloud_name}/people/{person_id}").Put
	for _, code := range []int{400, 401, 403, 404, 420, 429, 500, 502, 503, 504} {
		if op.Responses.Status(code) == nil {
			t.Errorf("updatePerson: status %d (%s) undocumented", code, http.StatusText(code))
		}
	}
	html := op.Responses.Status(503).Value.Content.Get("text/html")
	if html == nil {
		t.Errorf("updatePerson: 503 must allow the HTML bodies proxies send")
	}
	maxResults := doc.Paths.Value("/v1_1/{cloud_name}/people").Get.Parameters.GetByInAndName("query", "max_results")
	if s := maxResults.Schema.Value; s.Min == nil || *s.Min != 1 || s.Max == nil || *s.Max != 100 {
		t.Errorf("listPeople: max_results must be bounded to 1..100")
	}
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
