package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// publishedDoc is a published document in small, whose face schema is
// named by the test.
func publishedDoc(t *testing.T, face string) *yaml.Node {
	t.Helper()
	doc := `openapi: 3.1.0
paths:
  /v1_1/{cloud_name}/people:
    get:
      responses:
        "200":
          content:
            application/json:
              schema:
                type: object
                properties:
                  face:
                    $ref: '#/components/schemas/face'
components:
  schemas:
    box: &box
      type: array
      items: {type: integer}
` + face
	var n yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(doc), &n))
	return &n
}

func faceOf(root *yaml.Node) *yaml.Node {
	return get(root.Content[0], "paths", "/v1_1/{cloud_name}/people", "get", "responses", "200", "content", "application/json", "schema", "properties", "face")
}

func TestACopiedSchemaStandsOnItsOwn(t *testing.T) {
	tests := []struct {
		name, face, wantErr string
	}{
		{"a local reference is inlined", "    face: {type: object, properties: {box: {$ref: '#/components/schemas/box'}}}\n", ""},
		{"an alias is copied as what it names", "    face: {type: object, properties: {box: *box}}\n", ""},
		{"a remote reference is never followed", "    face: {$ref: 'http://127.0.0.1:9/face.yaml'}\n", "never followed"},
		{"a file beside it neither", "    face: {$ref: 'face.yaml#/face'}\n", "never followed"},
		{"a schema that refers to itself", "    face: {type: object, properties: {parent: {$ref: '#/components/schemas/face'}}}\n", "refers to itself"},
		{"a reference to nothing", "    face: {type: object, properties: {x: {$ref: '#/components/schemas/gone'}}}\n", "names nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := publishedDoc(t, tt.face)
			c, why := copyOf(root, faceOf(root))
			if tt.wantErr != "" {
				assert.Contains(t, why, tt.wantErr)
				assert.Nil(t, c)
				return
			}
			require.Empty(t, why)
			out, err := yaml.Marshal(c)
			require.NoError(t, err)
			assert.NotContains(t, string(out), "$ref")
			assert.NotContains(t, string(out), "*box")
			assert.NotContains(t, string(out), "&box")
			assert.Contains(t, string(out), "integer")
		})
	}
}

func TestAnOverlayIsRefusedUnlessItParsesAndRefersOnlyToOpenapiYaml(t *testing.T) {
	ours, err := readNode("../../openapi.yaml")
	require.NoError(t, err)
	for name, actions := range map[string]string{
		"a reference openapi.yaml lacks": "actions:\n  - target: $.x\n    update: {$ref: '#/components/schemas/face'}\n",
		"a remote reference":             "actions:\n  - target: $.x\n    update: {$ref: 'http://example.test/a.yaml'}\n",
		"an anchor and its alias":        "actions:\n  - target: $.x\n    update: &a {type: string}\n  - target: $.y\n    update: *a\n",
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, checkOverlay([]byte("overlay: 1.0.0\n"+actions), ours))
		})
	}
	t.Run("a reference openapi.yaml has", func(t *testing.T) {
		ok := "overlay: 1.0.0\nactions:\n  - target: $.x\n    update: {$ref: '#/components/schemas/PersonStatus'}\n"
		assert.NoError(t, checkOverlay([]byte(ok), ours))
	})
}

func TestRemoteReferencesAreNeitherFetchedNorCompared(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "schema.yml")
	doc := "openapi: 3.1.0\npaths:\n  /p:\n    get:\n      responses:\n        \"200\": {$ref: 'http://127.0.0.1:9/r.yaml'}\n        \"404\": {$ref: '#/components/responses/nf'}\n"
	require.NoError(t, os.WriteFile(src, []byte(doc), 0o644))
	local, refs, err := localOnly(src, dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"http://127.0.0.1:9/r.yaml"}, refs)
	data, err := os.ReadFile(local)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(data), "$ref"), "the local reference stays")
	assert.Contains(t, string(data), "remote reference http://127.0.0.1:9/r.yaml, not followed")
}
