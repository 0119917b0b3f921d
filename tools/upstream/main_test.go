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

// fakeOasdiff is an oasdiff that prints findings as its JSON changelog,
// whatever it is asked: the checker's own logic under test, not oasdiff's.
func fakeOasdiff(t *testing.T, findings string) string {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "findings.json"), []byte(findings), 0o644))
	script := filepath.Join(dir, "oasdiff")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\ncat '"+filepath.Join(dir, "findings.json")+"'\n"), 0o755))
	return script
}

// published is the test document of the published schema, changed by edit.
func publishedSchema(t *testing.T, edit func(string) string) string {
	data, err := os.ReadFile("../../testdata/upstream/published.yaml")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "schema.yml")
	require.NoError(t, os.WriteFile(path, []byte(edit(string(data))), 0o644))
	return path
}

func runUpstream(t *testing.T, oasdiff, schema string, extra ...string) (int, string) {
	var stdout, stderr bytes.Buffer
	args := append([]string{"-oasdiff", oasdiff, "-spec", "../../openapi.yaml", "-deviations", "../../upstream-deviations.yaml"}, extra...)
	code := run(append(args, schema), &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

const known = `{"id":"api-tag-removed","text":"api tag people removed","operation":"","path":""}`

func TestUpstreamPassesOnKnownDeviationsOnly(t *testing.T) {
	code, out := runUpstream(t, fakeOasdiff(t, "["+known+"]"), publishedSchema(t, func(s string) string { return s }))
	assert.Equal(t, 0, code, out)
}

func TestUpstreamFailsOnANewDifferenceAndWritesItsOverlay(t *testing.T) {
	added := `{"id":"response-optional-property-added","text":"added the optional property ` + "`people/items/zz_probe`" +
		` to the response with the ` + "`200`" + ` status","operation":"GET","path":"/v1_1/{cloud_name}/people"}`
	schema := publishedSchema(t, func(s string) string {
		return strings.Replace(s, "        created_at:\n", "        zz_probe:\n          type: integer\n        created_at:\n", 1)
	})
	overlay := filepath.Join(t.TempDir(), "overlay.yaml")
	code, out := runUpstream(t, fakeOasdiff(t, "["+known+","+added+"]"), schema, "-overlay", overlay)
	assert.Equal(t, exitNew, code, out)
	assert.Contains(t, out, "zz_probe")
	written, err := os.ReadFile(overlay)
	require.NoError(t, err)
	assert.Contains(t, string(written), "zz_probe:")
	assert.Contains(t, string(written), "type: integer")
}

func TestUpstreamRefusesWhatItCannotCompare(t *testing.T) {
	t.Run("a document without people operations", func(t *testing.T) {
		schema := filepath.Join(t.TempDir(), "schema.yml")
		require.NoError(t, os.WriteFile(schema, []byte("openapi: 3.1.0\npaths: {}\n"), 0o644))
		code, out := runUpstream(t, fakeOasdiff(t, "[]"), schema)
		assert.Equal(t, exitFailed, code)
		assert.Contains(t, out, "no people operations")
	})
	t.Run("an oasdiff that fails", func(t *testing.T) {
		code, _ := runUpstream(t, "/bin/false", publishedSchema(t, func(s string) string { return s }))
		assert.Equal(t, exitFailed, code)
	})
	t.Run("no schema", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, exitFailed, run(nil, &stdout, &stderr))
	})
}

func TestUpstreamVerboseListsWhatEachDeviationExplains(t *testing.T) {
	code, out := runUpstream(t, fakeOasdiff(t, "["+known+"]"), publishedSchema(t, func(s string) string { return s }), "-v")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "api-tag-removed")
}

func TestUpstreamNamesADeviationThatNoLongerShows(t *testing.T) {
	code, out := runUpstream(t, fakeOasdiff(t, "[]"), publishedSchema(t, func(s string) string { return s }))
	assert.Contains(t, out, "api-tag-removed", "a listed deviation that no longer shows is named, so the list stays true")
	assert.NotEqual(t, exitFailed, code)
}
