package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
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

func TestFollowNamesWhatTheModelsGainedAndRecordsLiveTraffic(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		return path
	}
	before := write("before.go", "package wrapper\n\ntype Person struct {\n\tID string `json:\"id\"`\n}\n\nconst (\n\tStatusActive Status = \"active\"\n)\n")
	after := write("after.go", "package wrapper\n\ntype Person struct {\n\tID string `json:\"id\"`\n\tFaceCount *int64 `json:\"face_count,omitempty\"`\n}\n\nconst (\n\tStatusActive Status = \"active\"\n\tStatusArchived Status = \"archived\"\n)\n")
	changelog := write("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n### Fixed\n- a fix\n\n## [0.1.0] - 2026-12-06\n")
	deviations := write("deviations.yaml", "deviations:\n  - id: x\n    reason: y\n")
	overlay := write("overlay.yaml", "overlay: 1.0.0\ninfo: {title: Drift seen in live People API traffic, version: '1'}\nactions: []\n")

	var out bytes.Buffer
	require.NoError(t, follow(before, after, overlay, changelog, deviations, &out))
	assert.Contains(t, out.String(), "`Person.FaceCount` (`face_count`)")
	text, err := os.ReadFile(changelog)
	require.NoError(t, err)
	unreleased := strings.Split(string(text), "## [0.1.0]")[0]
	assert.Contains(t, unreleased, "### Added\n- `openapi.yaml`, `wrapper`: adopted from live traffic: new fields `Person.FaceCount` (`face_count`).")
	assert.Contains(t, unreleased, "### Breaking\n- `openapi.yaml`, `wrapper`: adopted from live traffic: new enum values `StatusArchived` (`archived`)")
	recorded, err := os.ReadFile(deviations)
	require.NoError(t, err)
	assert.Contains(t, string(recorded), "response-optional-property-removed")
	assert.Contains(t, string(recorded), "Seen in live answers")

	t.Run("nothing gained, nothing written", func(t *testing.T) {
		before, _ := os.ReadFile(changelog)
		require.NoError(t, follow(after, after, overlay, changelog, deviations, &bytes.Buffer{}))
		now, _ := os.ReadFile(changelog)
		assert.Equal(t, string(before), string(now))
	})
}
