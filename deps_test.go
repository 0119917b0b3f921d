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
)

// A program that imports only wrapper must not carry the spec tooling:
// kin-openapi, YAML parsers and JSON Schema validators belong to the
// contract kit (wrapper/peopletest) and the tests.
func TestWrapperDoesNotPullSpecTooling(t *testing.T) {
	out, err := exec.Command(goCommand(), "list", "-deps", "./wrapper").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/cldpeople/cloudinary-people-go/generated")
	for _, dep := range deps {
		for _, banned := range []string{"getkin/kin-openapi", "yaml", "jsonschema", "github.com/cldpeople/cloudinary-people-go/generated/server", "go.opentelemetry.io", "redis"} {
			assert.NotContains(t, dep, banned, "wrapper depends on %s", dep)
		}
	}
}

// A user's module that imports wrapper and peopletest gets what those
// packages need and nothing of the code generator, which tools.go pins for
// this repository only. The module is tidied from the module cache this
// repository's own build filled, falling back to the configured proxy for
// the few go.mod files a build never reads.
func TestAUserModuleGetsNoGenerator(t *testing.T) {
	goBin := goCommand()
	dir := scratchModule(t, "example.com/user", "", map[string]string{"main.go": `package main

import (
	"fmt"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func main() { fmt.Println(wrapper.Version, peopletest.DefaultCloudName) }
`})
	env := func(name string) string {
		out, err := exec.Command(goBin, "env", name).Output()
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}
	proxy := "file://" + filepath.ToSlash(filepath.Join(env("GOMODCACHE"), "cache", "download"))
	if fallback := env("GOPROXY"); fallback != "" {
		proxy += "," + fallback
	}
	cmd := exec.Command(goBin, "mod", "tidy")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY="+proxy, "GOFLAGS=-mod=mod", "GONOSUMDB=*", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(string(out), "module lookup disabled") {
		t.Skipf("the module cache lacks a go.mod this check needs and GOPROXY=off: %s", out)
	}
	require.NoError(t, err, "go mod tidy: %s", out)
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	for _, banned := range []string{"oapi-codegen/oapi-codegen", "golang.org/x/tools", "speakeasy-api", "golang.org/x/mod", "dprotaso/go-yit"} {
		assert.NotContains(t, string(gomod), banned, "importing wrapper and peopletest pulls the generator's %s:\n%s", banned, gomod)
	}
	for _, banned := range []string{"redis/go-redis", "schollz/progressbar"} {
		assert.NotContains(t, string(gomod), banned, "importing wrapper and peopletest pulls %s, which only redisallowance and cmd/people need:\n%s", banned, gomod)
	}
	assert.Contains(t, string(gomod), "getkin/kin-openapi", "peopletest does need the validator")

	build := exec.Command(goBin, "build", "-o", os.DevNull, ".")
	build.Dir = dir
	build.Env = cmd.Env
	out, err = build.CombinedOutput()
	require.NoError(t, err, "the user's module builds: %s", out)
}

// The Go a user needs is what README.md says: go.mod's go line sets it for
// every importer, and a dependency that needs a newer Go raises it
// silently on go get.
func TestTheGoVersionIsTheOneTheReadmePromises(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	promised := regexp.MustCompile(`needs Go (1\.\d+) or newer`).FindSubmatch(readme)
	require.NotNil(t, promised, "README.md says which Go the SDK needs")
	mod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	goLine := regexp.MustCompile(`(?m)^go (1\.\d+)(\.\d+)?$`).FindSubmatch(mod)
	require.NotNil(t, goLine)
	assert.Equal(t, string(promised[1]), string(goLine[1]), "go.mod's go line and README.md disagree")
}
