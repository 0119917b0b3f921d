package spec

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheCopyIsOpenAPIYAMLExactly(t *testing.T) {
	want, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	assert.True(t, string(want) == string(OpenAPIYAML), "internal/spec is stale: run make generate")
}
