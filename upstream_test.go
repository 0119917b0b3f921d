package cloudinarypeople_test

import (
	"errors"
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
	t.Parallel()
	needTools(t)
	published, err := os.ReadFile("testdata/upstream/published.yaml")
	require.NoError(t, err)
	upstream := func(t *testing.T, doc string, vars ...string) (string, error) {
		t.Helper()
		path := filepath.Join(t.TempDir(), "schema.yml")
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
		out, err := exec.Command("make", append([]string{"--no-print-directory", "upstream", "SCHEMA=" + path}, vars...)...).CombinedOutput()
		return string(out), err
	}
	changed := func(t *testing.T, old, new string) string {
		t.Helper()
		require.Equal(t, 1, strings.Count(string(published), old), "the test document no longer holds %q", old)
		return strings.Replace(string(published), old, new, 1)
	}

	t.Run("only known deviations pass", func(t *testing.T) {
		t.Parallel()
		out, err := upstream(t, string(published))
		require.NoError(t, err, out)
		assert.Contains(t, out, "every difference is a known deviation")
	})
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"an added property", "        created_at:\n          type: string\n", "        zz_undeclared_probe:\n          type: integer\n        created_at:\n          type: string\n",
			[]string{"new: [response-optional-property-added]", "zz_undeclared_probe"}},
		{"an added operation", "  /v1_1/{cloud_name}/people/inspect:\n", "  /v1_1/{cloud_name}/people/{person_id}/faces:\n    get:\n      operationId: listFaces\n      responses:\n        '200':\n          description: Faces.\n  /v1_1/{cloud_name}/people/inspect:\n",
			[]string{"new: [endpoint-added]", "/people/{person_id}/faces"}},
		{"a removed enum value", "      enum: [active, hidden]\n", "      enum: [active]\n",
			[]string{"new: [", "hidden"}},
		{"other OAuth2 scopes", "  - oauth2: [asset_management, media_generation, upload]\n", "  - oauth2: [asset_management, admin]\n",
			[]string{"new: [api-security-added]", "admin"}},
		{"a path parameter of another type", "      - name: person_id\n        in: path\n        required: true\n        schema:\n          type: string\n",
			"      - name: person_id\n        in: path\n        required: true\n        schema:\n          type: integer\n",
			[]string{"new: [", "person_id"}},
	} {
		t.Run(tc.name+" fails, naming it", func(t *testing.T) {
			t.Parallel()
			out, err := upstream(t, changed(t, tc.old, tc.new))
			require.Error(t, err, out)
			for _, want := range tc.want {
				assert.Contains(t, out, want)
			}
			assert.Contains(t, out, "upstream-deviations.yaml", "says what to do")
		})
	}
	t.Run("one change in many places is one line, with an entry to add", func(t *testing.T) {
		t.Parallel()
		doc := changed(t, "      enum: [active, hidden]\n", "      enum: [active, hidden, zz_unknown_status]\n")
		out, err := upstream(t, doc)
		require.Error(t, err, out)
		assert.Equal(t, 1, strings.Count(out, "new: ["), out)
		assert.Contains(t, out, "a deviation entry:")
		assert.Contains(t, out, "(version 0.7.5)")
	})
	t.Run("a deviation partly gone is named", func(t *testing.T) {
		t.Parallel()
		doc := changed(t, "        next_cursor:\n          type: string\n", "        next_cursor:\n          type: [string, 'null']\n")
		out, err := upstream(t, doc)
		require.NoError(t, err, out)
		assert.Contains(t, out, `"next_cursor" of the known deviation response-property-became-not-nullable`)
	})
	t.Run("V=1 lists what each deviation explains", func(t *testing.T) {
		t.Parallel()
		out, err := upstream(t, string(published), "V=1")
		require.NoError(t, err, out)
		assert.Contains(t, out, "known: optional-response-header-removed")
	})
	t.Run("exit 1 for new differences, 2 when it cannot compare", func(t *testing.T) {
		t.Parallel()
		script := func(doc string) int {
			path := filepath.Join(t.TempDir(), "schema.yml")
			require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
			err := exec.Command("bash", "scripts/upstream.sh", path).Run()
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return exit.ExitCode()
			}
			require.NoError(t, err)
			return 0
		}
		assert.Equal(t, 0, script(string(published)))
		assert.Equal(t, 1, script(changed(t, "      enum: [active, hidden]\n", "      enum: [active]\n")))
		assert.Equal(t, 2, script("openapi: 3.1.0\ninfo: {title: other, version: '1'}\npaths:\n  /v1_1/{cloud_name}/folders:\n    get:\n      responses: {'200': {description: ok}}\n"))
	})
	t.Run("a document without people operations is refused", func(t *testing.T) {
		t.Parallel()
		out, err := upstream(t, "openapi: 3.1.0\ninfo: {title: other, version: '1'}\npaths: {}\n")
		require.Error(t, err)
		assert.Contains(t, out, "no people operations")
		assert.NotContains(t, out, "remove it")
	})
	t.Run("a known deviation that is gone is reported", func(t *testing.T) {
		t.Parallel()
		doc := changed(t, "              format: uri\n", "")
		out, err := upstream(t, doc)
		require.NoError(t, err, out)
		assert.Contains(t, out, "gone: the known deviation response-property-type-specialized")
	})
}
