package cloudinarypeople_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// make breaking, tried as a maintainer would: in a scratch worktree of the
// last commit, break the HTTP contract and see the check fail until the
// CHANGELOG announces the break with an entry of its own. It takes most of
// a minute, so make test skips it and make test-breaking (which CI runs)
// runs it alone.
func TestMakeBreaking(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	needTools(t)
	wt := newScratch(t)
	dir := wt.dir
	run := func(t *testing.T) (string, error) {
		t.Helper()
		return wt.run("bash", "scripts/breaking.sh", "HEAD")
	}
	edit := wt.edit

	t.Run("an unchanged tree passes", func(t *testing.T) {
		out, err := run(t)
		require.NoError(t, err, out)
		assert.Contains(t, out, "no breaking change since HEAD")
	})

	// Lowering a maximum breaks every client that sends 100.
	edit(t, "openapi.yaml", "            maximum: 100\n", "            maximum: 50\n")
	changelog, err := os.ReadFile(filepath.Join(dir, "CHANGELOG.md"))
	require.NoError(t, err)
	require.Contains(t, string(changelog), "### Breaking\n- ", "the drill needs older Breaking entries under [Unreleased]")

	t.Run("older Breaking entries do not announce a new break", func(t *testing.T) {
		out, err := run(t)
		require.Error(t, err, out)
		assert.Contains(t, out, "max_results")
		assert.Contains(t, out, "no new '### Breaking' entry")
	})
	t.Run("a new entry announces it", func(t *testing.T) {
		edit(t, "CHANGELOG.md", "## [Unreleased]\n", "## [Unreleased]\n\n### Breaking\n- listPeople: max_results is at most 50.\n")
		out, err := run(t)
		require.NoError(t, err, out)
		assert.Contains(t, out, "announced in CHANGELOG.md")
	})
	t.Run("an incompatible Go change is caught too", func(t *testing.T) {
		edit(t, "CHANGELOG.md", "- listPeople: max_results is at most 50.\n", "")
		edit(t, "openapi.yaml", "            maximum: 50\n", "            maximum: 100\n")
		edit(t, "wrapper/client.go", "func (c *Client) CloudName() string", "func (c *Client) Cloud() string")
		out, err := run(t)
		require.Error(t, err, out)
		assert.Contains(t, out, "CloudName")
		assert.Contains(t, out, "Go API of wrapper")
	})
}
