package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

const precious = "an earlier export, line 1\nline 2\n"

// preciousFile writes an earlier export that a failed run must not touch.
func preciousFile(t *testing.T) string {
	path := tempPath(t, "people.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(precious), 0o644))
	return path
}

func fileText(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

func TestExportThatFailsBeforeItsFirstPageLeavesTheOutputAsItWas(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(20))
	wrongSecret := strings.Replace(s.CloudinaryURL(), "@", "wrong@", 1)
	for _, c := range []struct {
		name, env string
		args      []string
	}{
		{"no CLOUDINARY_URL", "", nil},
		{"a Redis URL that does not parse", s.CloudinaryURL(), []string{"-redis", "http://x"}},
		{"a negative reserve", s.CloudinaryURL(), []string{"-reserve", "-1"}},
		{"Redis down", s.CloudinaryURL(), []string{"-redis", "redis://127.0.0.1:1/0"}},
		{"credentials the API refuses", wrongSecret, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := preciousFile(t)
			t.Setenv("CLOUDINARY_URL", c.env)
			r := runWith(t, append([]string{"export", "-o", out, "-state", out + ".state"}, c.args...)...)
			assert.NotEqual(t, 0, r.code)
			assert.Equal(t, precious, fileText(t, out))
			assert.NoFileExists(t, out+".state")
		})
	}
	t.Run("an output that did not exist is not left behind", func(t *testing.T) {
		out := tempPath(t, "new.jsonl")
		t.Setenv("CLOUDINARY_URL", wrongSecret)
		r := runWith(t, "export", "-o", out)
		assert.Equal(t, 1, r.code)
		assert.NoFileExists(t, out)
	})
}

func TestExportRefusesAStateThatIsTheOutput(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(20))
	out := preciousFile(t)
	link := filepath.Join(filepath.Dir(out), "link")
	require.NoError(t, os.Symlink(out, link))
	for name, state := range map[string]string{
		"the same name":           out,
		"another spelling":        filepath.Join(filepath.Dir(out), ".", filepath.Base(out)),
		"a link to the same file": link,
	} {
		t.Run(name, func(t *testing.T) {
			r := runIn(t, t.Context(), s, "export", "-o", out, "-state", state)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, "-o and -state name the same file")
			assert.Equal(t, precious, fileText(t, out))
			assert.Zero(t, s.RequestCount())
		})
	}
}

// stoppedExport leaves a checkpoint of an export of s that has pages to
// go, and returns the output and state paths.
func stoppedExport(t *testing.T, s *peopletest.Server) (out, state string) {
	out, state = tempPath(t, "out.jsonl"), tempPath(t, "out.state")
	r := runIn(t, t.Context(), s, "export", "-o", out, "-state", state, "-page-size", "5")
	require.Equal(t, 0, r.code, r.stderr)
	st := readState(t, state)
	st.Done, st.Cursor = false, "x"
	writeState(t, state, st)
	return out, state
}

func readState(t *testing.T, path string) exportState {
	var st exportState
	require.NoError(t, json.Unmarshal([]byte(fileText(t, path)), &st))
	return st
}

func writeState(t *testing.T, path string, st exportState) {
	data, err := json.Marshal(st)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

func TestExportRefusesACheckpointOfAnotherAccount(t *testing.T) {
	a := peopletest.NewServer(t, peopletest.WithGeneratedPeople(12), peopletest.WithCredentials("cloud-a", "key", "secret"))
	b := peopletest.NewServer(t, peopletest.WithGeneratedPeople(12), peopletest.WithCredentials("cloud-b", "key", "secret"))
	out, state := stoppedExport(t, a)
	before := fileText(t, out)
	r := runIn(t, t.Context(), b, "export", "-o", out, "-state", state, "-page-size", "5")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `cloud "cloud-a"`)
	assert.Contains(t, r.stderr, `cloud "cloud-b"`)
	assert.Equal(t, before, fileText(t, out))
	assert.Zero(t, b.RequestCount())
}

func TestExportRefusesAnOffsetInTheMiddleOfALine(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(12))
	out, state := stoppedExport(t, s)
	st := readState(t, state)
	st.Offset -= 3
	writeState(t, state, st)
	before, calls := fileText(t, out), s.RequestCount()
	r := runIn(t, t.Context(), s, "export", "-o", out, "-state", state, "-page-size", "5")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "in the middle of a line")
	assert.Equal(t, before, fileText(t, out))
	assert.Equal(t, calls, s.RequestCount())
}

func TestExportRefusesAStateFileItDidNotWrite(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(12))
	for name, text := range map[string]string{
		"a JSON object of something else": `{"version":2}`,
		"a journal of people apply":       string(headerLine()),
		"text":                            "notes\n",
	} {
		t.Run(name, func(t *testing.T) {
			state := tempPath(t, "state")
			require.NoError(t, os.WriteFile(state, []byte(text), 0o644))
			r := runIn(t, t.Context(), s, "export", "-o", tempPath(t, "out"), "-state", state)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, "is not a checkpoint of people export")
			assert.Equal(t, text, fileText(t, state))
		})
	}
}

func TestExportClearsTemporaryFilesAKillLeft(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(12))
	out, state := tempPath(t, "out.jsonl"), tempPath(t, "out.state")
	dir := filepath.Dir(state)
	stale := []string{".out.state.123456", ".out.state.987"}
	for _, name := range stale {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{"), 0o644))
	}
	mine := filepath.Join(dir, ".out.state.bak")
	require.NoError(t, os.WriteFile(mine, []byte("keep"), 0o644))
	r := runIn(t, t.Context(), s, "export", "-o", out, "-state", state, "-page-size", "5")
	require.Equal(t, 0, r.code, r.stderr)
	for _, name := range stale {
		assert.NoFileExists(t, filepath.Join(dir, name))
	}
	assert.FileExists(t, mine, "a file that is not one of ours stays")
}

func TestTwoRunsCannotShareAFile(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(4))
	held := func(t *testing.T, path string) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		require.NoError(t, lockFile(f))
	}
	t.Run("an export's output", func(t *testing.T) {
		out := preciousFile(t)
		held(t, out)
		r := runIn(t, t.Context(), s, "export", "-o", out, "-state", out+".state")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "another run of people is using it")
		assert.Equal(t, precious, fileText(t, out))
		assert.Zero(t, s.RequestCount())
	})
	t.Run("an apply's journal", func(t *testing.T) {
		journal := tempPath(t, "journal")
		held(t, journal)
		r := runIn(t, t.Context(), s, "apply", "-state", journal, changesFile(t, `{"id":"`+s.People()[0].ID+`","name":"X"}`))
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "another run of people is using it")
		assert.Zero(t, writes(s))
	})
}

func TestTheCommandSpeaksInItsFlagsAndEnvironment(t *testing.T) {
	s := peopletest.NewServer(t)
	t.Run("no CLOUDINARY_URL", func(t *testing.T) {
		t.Setenv("CLOUDINARY_URL", "")
		r := runWith(t, "export")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "CLOUDINARY_URL is not set")
		assert.NotContains(t, r.stderr, "people: people:")
		assert.NotContains(t, r.stderr, "With")
	})
	for flag, value := range map[string]string{"-page-size": "500", "-status": "gone", "-sort": "size", "-direction": "up", "-name-status": "maybe"} {
		t.Run(flag, func(t *testing.T) {
			r := runIn(t, t.Context(), s, "export", flag, value)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, flag+" ")
			for _, goName := range []string{"MaxResults", "Status ", "SortBy", "Direction ", "NameStatus"} {
				assert.NotContains(t, r.stderr, goName)
			}
		})
	}
	t.Run("a Redis URL that does not parse keeps its password", func(t *testing.T) {
		r := runIn(t, t.Context(), s, "export", "-redis", "redis://:Pa55word@localhost:port/0")
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, "-redis")
		assert.NotContains(t, r.stderr, "Pa55word")
	})
}

func TestRedisDownIsOneLineInTheCommandsWords(t *testing.T) {
	s := peopletest.NewServer(t)
	cmd := command(t, s, "export", "-o", tempPath(t, "out"), "-redis", "redis://:Pa55word@127.0.0.1:1/0")
	var stderr testkit.SyncBuffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	require.Error(t, err)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	assert.Len(t, lines, 1, stderr.String())
	assert.Contains(t, lines[0], "people: -redis redis://:xxxxx@127.0.0.1:1/0 does not answer")
	assert.NotContains(t, stderr.String(), "Pa55word")
}
