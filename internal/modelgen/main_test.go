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
		{"an optional integer is a pointer: absent and 0 differ", person, person + "        zz_probe_count:\n          type: integer\n          description: Probes seen.\n",
			[]string{"ZzProbeCount *int64 `json:\"zz_probe_count,omitempty\"`", "// Probes seen.", "case \"zz_probe_count\", \"id\"", "o.add(\"zz_probe_count\", p.ZzProbeCount)"}},
		{"an optional date-time is a pointer too", person, person + "        zz_probed_at:\n          type: string\n          format: date-time\n",
			[]string{"ZzProbedAt *time.Time"}},
		{"a new enum value is a constant", "New values may appear.\n      enum: [", "New values may appear.\n      enum: [zz_probe_value, ",
			[]string{"StatusZzProbeValue Status = \"zz_probe_value\"", "StatusZzProbeValue, StatusActive"}},
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
