package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestHelpListsTheCommands(t *testing.T) {
	s := peopletest.NewServer(t)
	t.Run("-h", func(t *testing.T) {
		r := runIn(t, t.Context(), s, "-h")
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.stdout, "people export")
		assert.Contains(t, r.stdout, "people apply")
	})
	t.Run("an unknown command", func(t *testing.T) {
		r := runIn(t, t.Context(), s, "exprot")
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, `unknown command "exprot"`)
	})
	t.Run("export -h", func(t *testing.T) {
		r := runIn(t, t.Context(), s, "export", "-h")
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.stdout, "-state FILE")
	})
}

func TestExportWritesEveryPersonWithTheAPIsFieldNames(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(250))
	out := tempPath(t, "people.jsonl")
	r := runIn(t, t.Context(), s, "export", "-o", out, "-page-size", "40")
	require.Equal(t, 0, r.code, r.stderr)
	lines := readLines(t, out)
	require.Len(t, lines, 250)
	ids := map[string]bool{}
	sawUnnamed := false
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		ids[m["id"].(string)] = true
		for _, k := range []string{"id", "name", "status", "created_at", "updated_at"} {
			assert.Contains(t, m, k)
		}
		if m["name"] == nil {
			sawUnnamed = true
		}
		if th, ok := m["thumbnail"].(map[string]any); ok {
			assert.Contains(t, th, "asset_id")
			assert.Len(t, th["bounding_box"], 4)
		}
	}
	assert.Len(t, ids, 250, "no person twice")
	assert.True(t, sawUnnamed, "an unnamed person's name is null, as the API sends it")
	assert.Equal(t, 7, s.RequestCount(), "250 people at 40 a page")
	assert.Contains(t, r.stderr, "exported 250 people in 7 pages")
}

func TestExportKeepsItsFilters(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(300))
	out := tempPath(t, "hidden.jsonl")
	r := runIn(t, t.Context(), s, "export", "-o", out, "-status", "hidden", "-sort", "created_at", "-direction", "desc", "-page-size", "7")
	require.Equal(t, 0, r.code, r.stderr)
	want := 0
	for _, p := range s.People() {
		if p.Status == wrapper.StatusHidden {
			want++
		}
	}
	lines := readLines(t, out)
	require.Len(t, lines, want)
	var prev time.Time
	for i, l := range lines {
		var rec wrapper.Person
		require.NoError(t, json.Unmarshal([]byte(l), &rec))
		assert.Equal(t, wrapper.StatusHidden, rec.Status)
		if i > 0 {
			assert.False(t, rec.CreatedAt.After(prev), "line %d is out of order", i+1)
		}
		prev = rec.CreatedAt
	}
}

func TestExportRefusesBadUsage(t *testing.T) {
	s := peopletest.NewServer(t)
	for name, args := range map[string][]string{
		"an unknown status":     {"export", "-status", "gone"},
		"a page size past 100":  {"export", "-page-size", "101"},
		"-state without -o":     {"export", "-state", tempPath(t, "s")},
		"an argument":           {"export", "extra"},
		"a negative reserve":    {"export", "-reserve", "-1"},
		"an unknown flag":       {"export", "-nope"},
		"a Redis URL of no use": {"export", "-redis", "http://x"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runIn(t, t.Context(), s, args...)
			assert.Equal(t, 2, r.code)
			assert.NotEmpty(t, r.stderr)
			assert.Zero(t, s.RequestCount(), "nothing sent")
		})
	}
}

func TestExportRefusesToContinueWithOtherFilters(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(30))
	out, state := tempPath(t, "out.jsonl"), tempPath(t, "state")
	// The checkpoint of an export of active people, stopped after a page.
	r := runIn(t, t.Context(), s, "export", "-o", out, "-state", state, "-status", "active", "-page-size", "5")
	require.Equal(t, 0, r.code, r.stderr)
	var st exportState
	_, err := readJSON(state, &st)
	require.NoError(t, err)
	st.Done, st.Cursor = false, "x"
	data, _ := json.Marshal(st)
	require.NoError(t, os.WriteFile(state, data, 0o644))
	before := s.RequestCount()

	r = runIn(t, t.Context(), s, "export", "-o", out, "-state", state, "-status", "hidden", "-page-size", "5")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `-status "active"`)
	assert.Contains(t, r.stderr, `-status "hidden"`)
	assert.Equal(t, before, s.RequestCount(), "nothing sent")

	t.Run("a finished export says so and sends nothing", func(t *testing.T) {
		st.Done = true
		data, _ := json.Marshal(st)
		require.NoError(t, os.WriteFile(state, data, 0o644))
		r := runIn(t, t.Context(), s, "export", "-o", out, "-state", state, "-status", "active", "-page-size", "5")
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.stderr, "already complete")
		assert.Equal(t, before, s.RequestCount())
	})
}

// exportKilled starts an export as a process of its own, kills it with
// SIGKILL once its checkpoint counts at least pages pages, and returns
// the request count at the kill.
func exportKilled(t testing.TB, s *peopletest.Server, pages int64, args ...string) int {
	cmd := command(t, s, append([]string{"export"}, args...)...)
	require.NoError(t, cmd.Start())
	var state string
	for i, a := range args {
		if a == "-state" {
			state = args[i+1]
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var st exportState
		if found, err := readJSON(state, &st); found && err == nil && st.Pages >= pages {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	cmd.Wait()
	return s.RequestCount()
}

func TestExportResumesAfterSIGKILLWithNoOneMissingOrTwice(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(600))
	// Slow pages, so that the kill lands mid-walk.
	s.InjectFault(1000, peopletest.Fault{Delay: 3 * time.Millisecond})
	out, state := tempPath(t, "out.jsonl"), tempPath(t, "state")
	args := []string{"-o", out, "-state", state, "-page-size", "10", "-sort", "created_at"}
	killedAt := exportKilled(t, s, 5, args...)
	require.Less(t, killedAt, 60, "the export was killed before it finished")
	firstRun := s.Requests()

	r := runIn(t, t.Context(), s, append([]string{"export"}, args...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "continuing from the checkpoint")

	lines := readLines(t, out)
	require.Len(t, lines, 600)
	seen := map[string]bool{}
	for i, l := range lines {
		var rec wrapper.Person
		require.NoError(t, json.Unmarshal([]byte(l), &rec), "line %d is whole", i+1)
		assert.False(t, seen[rec.ID], "%s is in the output twice", rec.ID)
		seen[rec.ID] = true
	}
	t.Run("at most one page is fetched twice", func(t *testing.T) {
		assert.LessOrEqual(t, pagesFetchedTwice(s), 1, "%d calls in the first run", len(firstRun))
	})
}

func TestExportWaitsAcrossResets(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(50), peopletest.WithHourlyLimit(2, time.Second))
	out := tempPath(t, "out.jsonl")
	r := runIn(t, t.Context(), s, "export", "-o", out, "-page-size", "10")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, readLines(t, out), 50)
	assert.Contains(t, r.stderr, "waiting")
	for _, req := range s.Requests() {
		assert.Equal(t, 200, req.Status, "no call was refused")
	}
}

func TestExportStopsAtAPageBoundaryOnInterrupt(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(500))
	s.InjectFault(1000, peopletest.Fault{Delay: 5 * time.Millisecond})
	out, state := tempPath(t, "out.jsonl"), tempPath(t, "state")
	ctx, cancel := context.WithCancel(t.Context())
	// Interrupt once the walk is under way, however slow the machine.
	go func() {
		for s.RequestCount() < 3 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	r := runIn(t, ctx, s, "export", "-o", out, "-state", state, "-page-size", "10")
	require.Equal(t, 130, r.code, r.stderr)
	assert.Contains(t, r.stderr, "run the same command to continue")
	var st exportState
	_, err := readJSON(state, &st)
	require.NoError(t, err)
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, st.Offset, info.Size(), "the output ends where the checkpoint says")
	assert.Equal(t, int(st.People), len(readLines(t, out)))
	assert.Zero(t, st.People%10, "whole pages only")
	assert.False(t, strings.HasSuffix(r.stderr, "exported"))
}

func TestExportWritesWhatTheSpecDoesNotDeclare(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(3))
	// An API that moved on: its answer carries a property openapi.yaml
	// does not have yet.
	s.InjectFault(1, peopletest.Fault{Body: `{"people":[{"id":"p1","name":null,"status":"active","zz_undeclared_probe":5}]}`})
	out := tempPath(t, "out.jsonl")
	r := runIn(t, t.Context(), s, "export", "-o", out)
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"id":"p1","name":null,"status":"active","zz_undeclared_probe":5}`, readLines(t, out)[0])
}

func TestVersionPrintsTheModuleVersion(t *testing.T) {
	for _, arg := range []string{"-version", "--version"} {
		t.Run(arg, func(t *testing.T) {
			r := runCtx(t.Context(), arg)
			assert.Equal(t, 0, r.code)
			assert.Regexp(t, `^people (v\d+\.\d+\.\d+|\(devel\))`, r.stdout)
		})
	}
}
