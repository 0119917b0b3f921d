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

// make dist's script, for one platform: both programs, a checksums file
// that matches them, the same checksums from a second build, and programs
// that say their version.
func TestDistBuildsReproduciblyWithChecksums(t *testing.T) {
	t.Parallel()
	build := func(dir string) string {
		cmd := exec.Command("bash", "scripts/dist.sh", dir)
		cmd.Env = append(os.Environ(), "DIST_PLATFORMS=linux/amd64")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
		require.NoError(t, err)
		return string(sums)
	}
	first := build(t.TempDir())
	dir := t.TempDir()
	second := build(dir)
	assert.Equal(t, first, second, "a second build gives the same checksums")
	for _, prog := range []string{"people", "peoplemock"} {
		assert.Contains(t, first, prog+"_linux_amd64\n")
		out, err := exec.Command(filepath.Join(dir, prog+"_linux_amd64"), "-version").Output()
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(out), prog+" "), "%s -version: %s", prog, out)
	}
	check := exec.Command("sha256sum", "-c", "SHA256SUMS")
	check.Dir = dir
	out, err := check.CombinedOutput()
	assert.NoError(t, err, "%s", out)
}
