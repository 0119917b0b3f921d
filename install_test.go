package cloudinarypeople_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

const modulePath = "github.com/cldpeople/cloudinary-people-go"

// releaseProxy is a module proxy on disk that serves the committed tree
// (HEAD) as version, as the Go module proxy would serve a tag.
func releaseProxy(t *testing.T, version string) string {
	dir := t.TempDir()
	at := filepath.Join(dir, filepath.FromSlash(modulePath), "@v")
	require.NoError(t, os.MkdirAll(at, 0o755))
	// The committed files, as a tag holds them: git archive works in a
	// worktree too, where the zip package's own VCS reading does not.
	tree := t.TempDir()
	archive := exec.Command("bash", "-c", `git archive HEAD | tar -x -C "$0"`, tree)
	out, err := archive.CombinedOutput()
	require.NoError(t, err, "%s", out)
	f, err := os.Create(filepath.Join(at, version+".zip"))
	require.NoError(t, err)
	require.NoError(t, modzip.CreateFromDir(f, module.Version{Path: modulePath, Version: version}, tree))
	require.NoError(t, f.Close())
	gomod, err := exec.Command("git", "show", "HEAD:go.mod").Output()
	require.NoError(t, err)
	for name, data := range map[string]string{
		version + ".mod":  string(gomod),
		version + ".info": `{"Version":"` + version + `","Time":"2026-12-06T00:00:00Z"}`,
		"list":            version + "\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(at, name), []byte(data), 0o644))
	}
	return dir
}

// The README's install line, as a user runs it against a release: the
// user's go.mod gains the client's runtime and nothing of the generator,
// the spec tooling, Redis, the progress bar or OpenTelemetry; the programs
// install from the same release and say its version.
func TestTheReadmeInstallLineWorksAgainstARelease(t *testing.T) {
	t.Parallel()
	if err := exec.Command("git", "rev-parse", "--verify", "HEAD").Run(); err != nil {
		t.Skip("not a git checkout with a commit")
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("`go get (" + regexp.QuoteMeta(modulePath) + `\S*)@(v[0-9.]+)` + "`").FindStringSubmatch(string(readme))
	require.NotNil(t, m, "README.md has a go get line for the module")
	pkg, version := m[1], m[2]
	assert.Equal(t, modulePath+"/wrapper", pkg, "the line names the package users import")

	goBin := goCommand()
	cacheOut, err := exec.Command(goBin, "env", "GOMODCACHE").Output()
	require.NoError(t, err)
	cache := filepath.Join(t.TempDir(), "modcache")
	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(releaseProxy(t, version))+",file://"+filepath.ToSlash(filepath.Join(strings.TrimSpace(string(cacheOut)), "cache", "download")),
		"GOMODCACHE="+cache, "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off", "GOBIN="+t.TempDir())
	t.Cleanup(func() {
		clean := exec.Command(goBin, "clean", "-modcache")
		clean.Env = env
		clean.Run()
	})
	user := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(user, "go.mod"), []byte("module example.com/user\n\ngo 1.25\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(user, "main.go"), []byte("package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/cldpeople/cloudinary-people-go/wrapper\"\n)\n\nfunc main() { fmt.Println(wrapper.Version) }\n"), 0o644))
	goIn := func(dir string, args ...string) string {
		cmd := exec.Command(goBin, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	goIn(user, "get", pkg+"@"+version)
	goIn(user, "mod", "tidy")
	gomod, err := os.ReadFile(filepath.Join(user, "go.mod"))
	require.NoError(t, err)
	for _, banned := range []string{"oapi-codegen/oapi-codegen", "getkin/kin-openapi", "redis/go-redis", "schollz/progressbar", "opentelemetry", "golang.org/x/tools"} {
		assert.NotContains(t, string(gomod), banned, "the user's go.mod:\n%s", gomod)
	}
	goIn(user, "build", "-o", os.DevNull, ".")

	for _, prog := range []string{"people", "peoplemock"} {
		goIn(user, "install", modulePath+"/cmd/"+prog+"@"+version)
		gobin := strings.TrimPrefix(env[len(env)-1], "GOBIN=")
		out, err := exec.Command(filepath.Join(gobin, prog), "-version").Output()
		require.NoError(t, err)
		assert.Equal(t, prog+" "+version+"\n", string(out))
	}
}
