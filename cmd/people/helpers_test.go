package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestMain(m *testing.M) { testkit.ProgramOrTests(m, main) }

// result is what one run of the command printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// runIn runs the command in-process against s (through CLOUDINARY_URL).
func runIn(t *testing.T, ctx context.Context, s *peopletest.Server, args ...string) result {
	t.Helper()
	t.Setenv("CLOUDINARY_URL", s.CloudinaryURL())
	return runCtx(ctx, args...)
}

// runWith runs the command in-process with the environment as it is.
func runWith(t *testing.T, args ...string) result {
	t.Helper()
	return runCtx(t.Context(), args...)
}

func runCtx(ctx context.Context, args ...string) result {
	var stdout bytes.Buffer
	var stderr testkit.SyncBuffer
	code := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// command is the command as a process of its own against s.
func command(t testing.TB, s *peopletest.Server, args ...string) *exec.Cmd {
	return testkit.Program(t, args, "CLOUDINARY_URL="+s.CloudinaryURL())
}

// readLines returns the lines of a file.
func readLines(t testing.TB, path string) []string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func tempPath(t testing.TB, name string) string { return filepath.Join(t.TempDir(), name) }

// pagesFetchedTwice counts the calls the fake received for a page it had
// already answered: the same cursor (or none, for the first page) again.
func pagesFetchedTwice(s *peopletest.Server) int {
	cursors := map[string]int{}
	for _, r := range s.Requests() {
		cursors[r.Query.Get("next_cursor")]++
	}
	twice := 0
	for _, n := range cursors {
		twice += n - 1
	}
	return twice
}

// readJSON reads path into v; found is false when there is no such file.
func readJSON(path string, v any) (found bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("%s is not a state file this command wrote: %v", path, err)
	}
	return true, nil
}
