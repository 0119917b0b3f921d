package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// writes counts the PUTs the fake received.
func writes(s *peopletest.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == "PUT" {
			n++
		}
	}
	return n
}

// changesFile writes lines to a file and returns its path.
func changesFile(t *testing.T, lines ...string) string {
	path := tempPath(t, "changes.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	return path
}

func TestApplyChecksEveryLineAndReportsEach(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(5))
	p := s.People()
	file := changesFile(t,
		`{"id":"`+p[0].ID+`","name":"Ada"}`,
		`not json`,
		`{"id":"`+p[1].ID+`","status":"gone"}`,
		`{"id":"`+p[2].ID+`","name":"`+strings.Repeat("x", 256)+`"}`,
		``,
		`{"id":"`+p[3].ID+`","status":"hidden","colour":"red"}`,
		`{"id":"nobody","name":"Ghost"}`,
		`{"id":"`+p[4].ID+`","status":"hidden"}`,
		`{"id":"`+p[1].ID+`"}`,
	)
	r := runIn(t, t.Context(), s, "apply", file)
	assert.Equal(t, 1, r.code, "a line failed: %s", r.stderr)
	for _, want := range []string{
		"line 1: applied " + p[0].ID,
		"line 2: invalid: not a JSON object",
		`line 3: invalid: Status "gone"`,
		"line 4: invalid: Name is 256 characters; the maximum is 255",
		`line 6: invalid: not a JSON object of id, name, status and thumbnail: json: unknown field "colour"`,
		"line 7: not found nobody",
		"line 8: applied " + p[4].ID,
		"line 9: invalid: nothing to change",
	} {
		assert.Contains(t, r.stdout, want)
	}
	assert.NotContains(t, r.stdout, "line 5:", "a blank line is no change")
	t.Run("nothing is sent for a bad line", func(t *testing.T) {
		assert.Equal(t, 3, writes(s))
	})
	t.Run("the good lines took effect", func(t *testing.T) {
		got, _ := s.Person(p[0].ID)
		assert.Equal(t, "Ada", got.Name)
		got, _ = s.Person(p[4].ID)
		assert.Equal(t, wrapper.StatusHidden, got.Status)
	})
	assert.Contains(t, r.stderr, "2 applied, 1 not found, 5 invalid")
}

func TestApplyAllGoodExitsZero(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(2))
	p := s.People()
	r := runIn(t, t.Context(), s, "apply", changesFile(t, `{"id":"`+p[0].ID+`","name":"Grace","status":"active"}`))
	assert.Equal(t, 0, r.code, r.stderr)
}

func TestApplyJournalSendsOnlyWhatWasNotConfirmed(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(6))
	p := s.People()
	var lines []string
	for i := range p {
		lines = append(lines, `{"id":"`+p[i].ID+`","name":"Renamed `+string(rune('A'+i))+`"}`)
	}
	file, journalPath := changesFile(t, lines...), tempPath(t, "journal")
	r := runIn(t, t.Context(), s, "apply", "-state", journalPath, file)
	require.Equal(t, 0, r.code, r.stderr)
	require.Equal(t, 6, writes(s))

	t.Run("a rerun of a finished apply sends nothing", func(t *testing.T) {
		r := runIn(t, t.Context(), s, "apply", "-state", journalPath, file)
		assert.Equal(t, 0, r.code)
		assert.Equal(t, 6, writes(s))
		assert.Equal(t, 6, strings.Count(r.stdout, "skipped"))
	})
	t.Run("after a crash, only the unconfirmed lines go again", func(t *testing.T) {
		// The crash came after two lines were confirmed, halfway through
		// writing the third's entry (the journal's first line is its
		// header).
		j := readLines(t, journalPath)
		require.Len(t, j, 1+6)
		torn := strings.Join(j[:3], "\n") + "\n" + j[3][:10]
		require.NoError(t, os.WriteFile(journalPath, []byte(torn), 0o644))
		r := runIn(t, t.Context(), s, "apply", "-state", journalPath, file)
		assert.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, 6+4, writes(s))
		assert.Len(t, readLines(t, journalPath), 1+6, "the torn entry was dropped and the rest recorded")
	})
	t.Run("an edited line is a new change", func(t *testing.T) {
		lines[0] = `{"id":"` + p[0].ID + `","name":"Edited"}`
		require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644))
		before := writes(s)
		r := runIn(t, t.Context(), s, "apply", "-state", journalPath, file)
		assert.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, before+1, writes(s))
	})
}

func TestApplyDoesNotConfirmWhatFailedInTransit(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(1))
	id := s.People()[0].ID
	file, journalPath := changesFile(t, `{"id":"`+id+`","status":"hidden"}`), tempPath(t, "journal")
	s.FailNext(3, 503) // the first try and both retries
	r := runIn(t, t.Context(), s, "apply", "-state", journalPath, file)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "line 1: failed")
	r = runIn(t, t.Context(), s, "apply", "-state", journalPath, file)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "line 1: applied")
}

func TestApplyDryRunSendsNoWrite(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(3))
	p := s.People()
	file := changesFile(t,
		`{"id":"`+p[0].ID+`","name":"Someone Else"}`,
		`{"id":"`+p[1].ID+`","status":"`+string(p[1].Status)+`"}`,
		`{"id":"nobody","status":"hidden"}`,
	)
	r := runIn(t, t.Context(), s, "apply", "-dry-run", file)
	assert.Equal(t, 1, r.code, "a line would fail")
	assert.Zero(t, writes(s))
	assert.Contains(t, r.stdout, `line 1: would change `+p[0].ID+`: name "`+p[0].Name+`" → "Someone Else"`)
	assert.Contains(t, r.stdout, "line 2: would change nothing")
	assert.Contains(t, r.stdout, "line 3: not found")
}

func TestApplyRefusesBadUsage(t *testing.T) {
	s := peopletest.NewServer(t)
	for name, args := range map[string][]string{
		"no file":       {"apply"},
		"two files":     {"apply", "a", "b"},
		"a missing one": {"apply", tempPath(t, "missing")},
	} {
		t.Run(name, func(t *testing.T) {
			r := runIn(t, t.Context(), s, args...)
			assert.Equal(t, 2, r.code)
			assert.NotEmpty(t, r.stderr)
		})
	}
}
