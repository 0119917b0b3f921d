package cloudinarypeople_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// The version the SDK reports (User-Agent) must be the newest release the
// changelog describes.
func TestVersionMatchesTheNewestReleasedChangelogEntry(t *testing.T) {
	b, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	releases := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+[^\]]*)\]`).FindAllStringSubmatch(string(b), -1)
	require.NotEmpty(t, releases, "CHANGELOG.md has no released version heading (## [x.y.z] - date)")
	assert.Equal(t, releases[0][1], wrapper.Version, "wrapper.Version and the newest entry of CHANGELOG.md")
	assert.Regexp(t, `(?m)^## \[Unreleased\]`, string(b), "Keep a Changelog: an [Unreleased] section first")
}
