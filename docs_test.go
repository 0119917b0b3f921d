package cloudinarypeople_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs are the pages users read: the README, CONTRIBUTING and docs/.
func docs(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("docs/*.md")
	require.NoError(t, err)
	return append([]string{"README.md", "CONTRIBUTING.md", "CHANGELOG.md"}, pages...)
}

func TestReadmeIsShort(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	assert.LessOrEqual(t, len([]rune(string(b))), 10000, "README.md is for users: move depth to docs/")
}

var mdLink = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)

func TestRelativeLinksResolve(t *testing.T) {
	for _, page := range docs(t) {
		t.Run(page, func(t *testing.T) {
			b, err := os.ReadFile(page)
			require.NoError(t, err)
			for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "#") {
					continue
				}
				file, anchor, _ := strings.Cut(target, "#")
				path := filepath.Join(filepath.Dir(page), file)
				info, err := os.Stat(path)
				if !assert.NoError(t, err, "%s links to %s, which does not exist", page, target) {
					continue
				}
				if anchor != "" && !info.IsDir() && strings.HasSuffix(file, ".md") {
					assert.Contains(t, anchors(t, path), anchor, "%s links to a heading %s lacks", page, target)
				}
			}
		})
	}
}

// anchors are the GitHub-style anchors of a page's headings.
func anchors(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		h = strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				return r
			}
			return -1
		}, h)
		out = append(out, h)
	}
	return out
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// Every Go snippet in the docs compiles as written. A snippet that is a
// whole file (it starts with a package clause) is built as it is; the
// pages hold no other kind, so that readers can copy them whole.
func TestGoSnippetsCompile(t *testing.T) {
	gomod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	// The repository's own requirements, so that the build needs nothing
	// the module cache lacks.
	_, requires, _ := strings.Cut(string(gomod), "\nrequire")
	files := map[string]string{}
	var names []string
	for _, page := range docs(t) {
		b, err := os.ReadFile(page)
		require.NoError(t, err)
		for i, m := range goBlock.FindAllStringSubmatch(string(b), -1) {
			snippet := m[1]
			name := fmt.Sprintf("%s_%d", strings.NewReplacer("/", "_", ".", "_").Replace(page), i+1)
			if !assert.True(t, strings.HasPrefix(snippet, "package "), "%s: Go snippet %d is not a whole file (start it with a package clause)", page, i+1) {
				continue
			}
			files[filepath.Join(name, "snippet.go")] = snippet
			names = append(names, name)
		}
	}
	require.NotEmpty(t, names)
	slices.Sort(names)
	dir := scratchModule(t, "example.com/snippets", "\nrequire"+requires, files)
	cmd := exec.Command(goCommand(), "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "snippets %v do not compile:\n%s", names, out)
}
