package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generateFrom runs the generator on openapi.yaml changed by edit.
func generateFrom(t *testing.T, edit func(string) string) string {
	spec, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	specPath, out := filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "models.gen.go")
	require.NoError(t, os.WriteFile(specPath, []byte(edit(string(spec))), 0o644))
	require.NoError(t, run("../../modelgen.yaml", specPath, out))
	src, err := os.ReadFile(out)
	require.NoError(t, err)
	return string(src)
}

func replaceOnce(t *testing.T, s, old, new string) string {
	require.Equal(t, 1, strings.Count(s, old), "openapi.yaml no longer holds %q", old)
	return strings.Replace(s, old, new, 1)
}

func TestTheCommittedModelsAreWhatTheGeneratorMakes(t *testing.T) {
	src := generateFrom(t, func(s string) string { return s })
	committed, err := os.ReadFile("../../wrapper/models.gen.go")
	require.NoError(t, err)
	assert.Equal(t, string(committed), src, "run go generate ./...")
}

func TestASpecChangeReachesTheModels(t *testing.T) {
	const person = "    PersonDetails:\n      type: object\n      required: [id]\n      properties:\n"
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"an optional integer is a pointer: absent and 0 differ", person, person + "        face_count:\n          type: integer\n          description: Faces seen.\n",
			[]string{"FaceCount *int64 `json:\"face_count,omitempty\"`", "// Faces seen.", "case \"face_count\", \"id\"", "o.add(\"face_count\", p.FaceCount)"}},
		{"an optional date-time is a pointer too", person, person + "        seen_at:\n          type: string\n          format: date-time\n",
			[]string{"SeenAt *time.Time"}},
		{"a new enum value is a constant", "enum: [active, hidden]", "enum: [active, hidden, archived]",
			[]string{"StatusArchived Status = \"archived\"", "StatusHidden, StatusArchived"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := generateFrom(t, func(s string) string { return replaceOnce(t, s, tt.old, tt.new) })
			for _, w := range tt.want {
				assert.Contains(t, src, w)
			}
		})
	}
}

func TestGoNames(t *testing.T) {
	for in, want := range map[string]string{
		"face_count": "FaceCount", "asset_id": "AssetID", "url": "URL", "public_id": "PublicID",
		"created-at": "CreatedAt", "3d_model": "X3dModel", "api_key": "APIKey",
	} {
		assert.Equal(t, want, goName(in), in)
	}
}
