package cloudinarypeople_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// make upstream against documents in the published schema's style: one
// that differs from openapi.yaml only by the known deviations, and copies
// of it that add a property, add an operation, drop an enum value, or lose
// a known deviation.
func TestMakeUpstream(t *testing.T) {
	needTools(t)
	published, err := os.ReadFile("testdata/upstream/published.yaml")
	require.NoError(t, err)
	upstream := func(t *testing.T, doc string) (string, error) {
		t.Helper()
		path := filepath.Join(t.TempDir(), "schema.yml")
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
		out, err := exec.Command("make", "--no-print-directory", "upstream", "SCHEMA="+path).CombinedOutput()
		return string(out), err
	}
	changed := func(t *testing.T, old, new string) string {
		t.Helper()
		require.Equal(t, 1, strings.Count(string(published), old), "the test document no longer holds %q", old)
		return strings.Replace(string(published), old, new, 1)
	}

	t.Run("only known deviations pass", func(t *testing.T) {
		out, err := upstream(t, string(published))
		require.NoError(t, err, out)
		assert.Contains(t, out, "every difference is a known deviation")
	})
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"an added property", "        created_at:\n          type: string\n", "        face_count:\n          type: integer\n        created_at:\n          type: string\n",
			[]string{"new: [response-optional-property-added]", "face_count"}},
		{"an added operation", "  /v1_1/{cloud_name}/people/inspect:\n", "  /v1_1/{cloud_name}/people/{person_id}/faces:\n    get:\n      operationId: listFaces\n      responses:\n        '200':\n          description: Faces.\n  /v1_1/{cloud_name}/people/inspect:\n",
			[]string{"new: [endpoint-added]", "/people/{person_id}/faces"}},
		{"a removed enum value", "      enum: [active, hidden]\n", "      enum: [active]\n",
			[]string{"new: [", "hidden"}},
	} {
		t.Run(tc.name+" fails, naming it", func(t *testing.T) {
			out, err := upstream(t, changed(t, tc.old, tc.new))
			require.Error(t, err, out)
			for _, want := range tc.want {
				assert.Contains(t, out, want)
			}
			assert.Contains(t, out, "upstream-deviations.yaml", "says what to do")
		})
	}
	t.Run("a known deviation that is gone is reported", func(t *testing.T) {
		doc := changed(t, "              format: uri\n", "")
		out, err := upstream(t, doc)
		require.NoError(t, err, out)
		assert.Contains(t, out, "gone: the known deviation response-property-type-specialized")
	})
}
