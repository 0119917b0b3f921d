package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// exportTogether runs n exports at once, as processes of their own that
// share one allowance through the Redis at addr, and returns how many
// calls the fake refused.
func exportTogether(t testing.TB, s *peopletest.Server, addr string, n int) (refused int) {
	var cmds []*bytes.Buffer
	var running []func() error
	for i := range n {
		out := tempPath(t, "out.jsonl")
		cmd := command(t, s, "export", "-o", out, "-page-size", "10", "-redis", "redis://"+addr+"/0")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start(), "export %d", i)
		cmds = append(cmds, &stderr)
		running = append(running, cmd.Wait)
	}
	for i, wait := range running {
		require.NoError(t, wait(), "export %d: %s", i, cmds[i])
	}
	for _, r := range s.Requests() {
		if r.Status != 200 {
			refused++
		}
	}
	return refused
}

func TestExportsSharingRedisAreNeverRefused(t *testing.T) {
	t.Parallel()
	addr := testkit.StartRedis(t)
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(60), peopletest.WithHourlyLimit(10, time.Second))
	refused := exportTogether(t, s, addr, 3)
	assert.Zero(t, refused)
	assert.Equal(t, 18, s.RequestCount(), "three walks of six pages, across two hours at least")
}

func TestAReserveThatKeepsTheWholeHourFailsAtOnce(t *testing.T) {
	t.Parallel()
	addr := testkit.StartRedis(t)
	for name, extra := range map[string][]string{"alone": nil, "sharing Redis": {"-redis", "redis://" + addr + "/0"}} {
		t.Run(name, func(t *testing.T) {
			// A two-second hour: a job that waited for the next would
			// take seconds; one that fails at once takes none.
			s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(30), peopletest.WithHourlyLimit(4, 2*time.Second))
			cmd := command(t, s, append([]string{"export", "-o", tempPath(t, "out"), "-page-size", "5", "-reserve", "4"}, extra...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			require.Error(t, err)
			assert.Contains(t, stderr.String(), "-reserve 4 leaves no call of the hourly limit of 4")
			assert.LessOrEqual(t, s.RequestCount(), 1, "at most the call that learned the limit")
		})
	}
}
