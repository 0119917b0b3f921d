package cloudinarypeople_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// goCommand is the go command of the toolchain running the tests (which a
// GOTOOLCHAIN switch may have put elsewhere than the go on PATH).
func goCommand() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "go"
	}
	goBin := filepath.Join(strings.TrimSpace(string(out)), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		return "go"
	}
	return goBin
}

// scratchModule writes a module that requires this repository through a
// replace directive, with this repository's go.sum, plus files (name ->
// content), and returns its directory. extra is added to go.mod.
func scratchModule(t *testing.T, name, extra string, files map[string]string) string {
	t.Helper()
	repo, err := filepath.Abs(".")
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(file, content string) {
		path := filepath.Join(dir, file)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	write("go.mod", "module "+name+"\n\ngo 1.25.0\n\nrequire github.com/cldpeople/cloudinary-people-go v0.0.0\n"+extra+
		"\nreplace github.com/cldpeople/cloudinary-people-go => "+repo+"\n")
	sum, err := os.ReadFile("go.sum")
	require.NoError(t, err)
	write("go.sum", string(sum))
	for file, content := range files {
		write(file, content)
	}
	return dir
}

// needTools skips a test that needs the maintainer tools of tools/go.mod
// when their Go cannot be had (GOTOOLCHAIN=local with an older Go).
func needTools(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("go", "-C", "tools", "list", "-m").CombinedOutput(); err != nil {
		if strings.Contains(string(out), "requires go >=") {
			t.Skipf("the maintainer tools need a newer Go than this one: %s", strings.TrimSpace(string(out)))
		}
		t.Fatalf("go -C tools list -m: %v: %s", err, out)
	}
}

// scratch is a git worktree of HEAD in a temporary directory, removed when
// the test ends, for drills that change the repository.
type scratch struct{ dir string }

func newScratch(t *testing.T) scratch {
	t.Helper()
	if err := exec.Command("git", "rev-parse", "--verify", "HEAD").Run(); err != nil {
		t.Skip("not a git checkout with a commit")
	}
	dir := filepath.Join(t.TempDir(), "wt")
	require.NoError(t, exec.Command("git", "worktree", "add", "--detach", dir, "HEAD").Run())
	t.Cleanup(func() { exec.Command("git", "worktree", "remove", "--force", dir).Run() })
	return scratch{dir}
}

// run runs a command in the worktree and returns what it printed.
func (s scratch) run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// edit replaces old, which must be there once, by new in a file of the
// worktree.
func (s scratch) edit(t *testing.T, file, old, new string) {
	t.Helper()
	path := filepath.Join(s.dir, file)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(b), old), "%s no longer holds %q", file, old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}
