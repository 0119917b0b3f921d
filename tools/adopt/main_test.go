package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scratchSpec is a copy of openapi.yaml to adopt into.
func scratchSpec(t *testing.T) (path string, before []byte) {
	before, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	path = filepath.Join(t.TempDir(), "openapi.yaml")
	require.NoError(t, os.WriteFile(path, before, 0o644))
	return path, before
}

func overlayFile(t *testing.T, actions string) string {
	path := filepath.Join(t.TempDir(), "overlay.yaml")
	require.NoError(t, os.WriteFile(path, []byte("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"+actions), 0o644))
	return path
}

const person = "$.components.schemas.PersonDetails"

func TestAdoptAppliesAdditions(t *testing.T) {
	for name, actions := range map[string]string{
		"a new optional property": "  - target: " + person + "\n    update: {properties: {zz_undeclared_probe: {type: integer}}}\n",
		"a new enum value":        "  - target: $.components.schemas.PersonStatus.enum\n    update: [archived]\n",
		"a new description":       "  - target: " + person + "\n    update: {description: Someone Cloudinary recognises.}\n",
	} {
		t.Run(name, func(t *testing.T) {
			spec, before := scratchSpec(t)
			var out bytes.Buffer
			require.NoError(t, adopt(spec, overlayFile(t, actions), false, &out))
			after, err := os.ReadFile(spec)
			require.NoError(t, err)
			assert.NotEqual(t, string(before), string(after))
			assert.Contains(t, out.String(), "applied 1 actions")
		})
	}
}

func TestAdoptRefusesWhatIsNotAnAddition(t *testing.T) {
	tests := []struct{ name, actions, want string }{
		{"removing the security", "  - target: $.security\n    remove: true\n", "removes $.security"},
		{"moving the server", "  - target: $.servers[0]\n    update: {url: 'https://elsewhere.example'}\n", "changes /servers/0/url"},
		{"changing a type", "  - target: " + person + ".properties.id\n    update: {type: integer}\n", `changes /components/schemas/PersonDetails/properties/id/type from "string" to "integer"`},
		{"requiring a property", "  - target: " + person + "\n    update: {required: [name, status]}\n", "required"},
		{"a required parameter", "  - target: $.paths['/v1_1/{cloud_name}/people'].get.parameters\n    update: [{name: zz_probe, in: query, required: true, schema: {type: string}}]\n", "adds the required parameter query zz_probe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, before := scratchSpec(t)
			overlay := overlayFile(t, tt.actions)
			err := adopt(spec, overlay, false, &bytes.Buffer{})
			require.Error(t, err)
			assert.ErrorContains(t, err, tt.want)
			assert.ErrorContains(t, err, "not an addition")
			after, _ := os.ReadFile(spec)
			assert.Equal(t, string(before), string(after), "nothing was changed")

			t.Run("unless asked for explicitly", func(t *testing.T) {
				assert.NoError(t, adopt(spec, overlay, true, &bytes.Buffer{}))
			})
		})
	}
}

func TestAdoptRefusesPropertiesThatWouldBeOneGoField(t *testing.T) {
	spec, before := scratchSpec(t)
	actions := "  - target: " + person + "\n    update: {properties: {face_count: {type: integer}, faceCount: {type: integer}, face-count: {type: integer}}}\n"
	err := adopt(spec, overlayFile(t, actions), false, &bytes.Buffer{})
	require.Error(t, err)
	assert.ErrorContains(t, err, "face-count, faceCount, face_count would be one Go field")
	after, _ := os.ReadFile(spec)
	assert.Equal(t, string(before), string(after))
}
