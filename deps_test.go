package cloudinarypeople_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A program that imports only wrapper must not carry the spec tooling:
// kin-openapi, YAML parsers and JSON Schema validators belong to the
// contract kit (wrapper/peopletest) and the tests.
func TestWrapperDoesNotPullSpecTooling(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goBin); err != nil {
		goBin = "go"
	}
	out, err := exec.Command(goBin, "list", "-deps", "./wrapper").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/cldpeople/cloudinary-people-go/generated")
	for _, dep := range deps {
		for _, banned := range []string{"getkin/kin-openapi", "yaml", "jsonschema", "github.com/cldpeople/cloudinary-people-go/generated/server"} {
			assert.NotContains(t, dep, banned, "wrapper depends on %s", dep)
		}
	}
}
