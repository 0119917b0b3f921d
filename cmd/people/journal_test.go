package main

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// renames is a changes file renaming each of s's people.
func renames(t *testing.T, s *peopletest.Server) string {
	var lines []string
	for i, p := range s.People() {
		lines = append(lines, `{"id":"`+p.ID+`","name":"Renamed `+string(rune('A'+i))+`"}`)
	}
	return changesFile(t, lines...)
}

func TestApplyWithRefusedCredentialsStopsAtOnceAndConfirmsNothing(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(5))
	file, journal := renames(t, s), tempPath(t, "journal")
	t.Setenv("CLOUDINARY_URL", strings.Replace(s.CloudinaryURL(), "@", "wrong@", 1))
	r := runWith(t, "apply", "-state", journal, file)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "the API refused the credentials in CLOUDINARY_URL")
	assert.Equal(t, 1, s.RequestCount(), "one call spent, not one a line")

	r = runIn(t, t.Context(), s, "apply", "-state", journal, file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 5, strings.Count(r.stdout, ": applied"), "the rerun with the right secret makes every change")
	assert.Equal(t, 1+5, writes(s), "the refused call and one a line")
}

func TestApplyDoesNotConfirmAnswersAboutTheCallRatherThanTheLine(t *testing.T) {
	for _, status := range []int{420, 429, 500, 502, 503} {
		t.Run(http.StatusText(status)+" "+strconv.Itoa(status), func(t *testing.T) {
			s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(1))
			file, journal := renames(t, s), tempPath(t, "journal")
			s.FailNext(3, status)
			r := runIn(t, t.Context(), s, "apply", "-state", journal, file)
			assert.Equal(t, 1, r.code)
			r = runIn(t, t.Context(), s, "apply", "-state", journal, file)
			assert.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "line 1: applied")
		})
	}
}

func TestApplyRefusesANameThatIsNotUTF8(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(1))
	file := changesFile(t, `{"id":"`+s.People()[0].ID+`","name":"Caf`+"\xe9"+`"}`)
	r := runIn(t, t.Context(), s, "apply", file)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "line 1: invalid: not valid UTF-8")
	assert.Zero(t, writes(s))
}

func TestApplyRerunStillReportsEarlierFailures(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(1))
	file := changesFile(t, `{"id":"nobody","name":"Ghost"}`, `{"id":"`+s.People()[0].ID+`","name":"Ada"}`)
	journal := tempPath(t, "journal")
	r := runIn(t, t.Context(), s, "apply", "-state", journal, file)
	require.Equal(t, 1, r.code)
	before := writes(s)
	r = runIn(t, t.Context(), s, "apply", "-state", journal, file)
	assert.Equal(t, 1, r.code, "a line failed, in this run or an earlier one")
	assert.Contains(t, r.stdout, "line 1: not found nobody (in an earlier run)")
	assert.Contains(t, r.stdout, "line 2: skipped")
	assert.Equal(t, before, writes(s), "nothing sent again")
}

func TestApplyRefusesAStateFileThatIsNotAJournal(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(1))
	file := changesFile(t, `{"id":"`+s.People()[0].ID+`","name":"Ada"}`)
	export := `{"job":"people export","version":2,"offset":10}` + "\n"
	for name, text := range map[string]string{
		"an export's checkpoint":            export,
		"text without a newline at its end": "notes about the job",
		"JSON Lines of something else":      `{"id":"a"}` + "\n" + `{"id":"b"}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			state := tempPath(t, "state")
			require.NoError(t, os.WriteFile(state, []byte(text), 0o644))
			r := runIn(t, t.Context(), s, "apply", "-state", state, file)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, "is not a journal of people apply")
			assert.Equal(t, text, fileText(t, state), "left as it was")
			assert.Zero(t, writes(s))
		})
	}
	t.Run("the changes file itself", func(t *testing.T) {
		before := fileText(t, file)
		r := runIn(t, t.Context(), s, "apply", "-state", file, file)
		assert.Equal(t, 2, r.code)
		assert.Equal(t, before, fileText(t, file))
	})
}

func TestApplyReadsJournalEntriesOfAnySize(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(3))
	file, journal := renames(t, s), tempPath(t, "journal")
	r := runIn(t, t.Context(), s, "apply", "-state", journal, file)
	require.Equal(t, 0, r.code, r.stderr)
	// An entry of 2 MiB ahead of the others (an ID that long is the
	// file's, not ours to judge).
	j := readLines(t, journal)
	big := strings.Replace(j[1], `"outcome"`, `"padding":"`+strings.Repeat("x", 2<<20)+`","outcome"`, 1)
	require.NoError(t, os.WriteFile(journal, []byte(strings.Join(append([]string{j[0], big}, j[2:]...), "\n")+"\n"), 0o644))
	before := writes(s)

	r = runIn(t, t.Context(), s, "apply", "-state", journal, file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 3, strings.Count(r.stdout, "skipped"))
	assert.Equal(t, before, writes(s), "nothing confirmed is sent again")

	t.Run("an entry that does not decode is refused, not skipped past", func(t *testing.T) {
		require.NoError(t, os.WriteFile(journal, []byte(j[0]+"\n{not an entry\n"+j[2]+"\n"), 0o644))
		r := runIn(t, t.Context(), s, "apply", "-state", journal, file)
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, "line 2 of the journal is not an entry")
		assert.Equal(t, before, writes(s))
	})
}
