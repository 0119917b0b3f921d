package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The jobs' figures (make bench-jobs; run with -benchtime 1x): each
// reports what docs/performance.md quotes as custom metrics.

// BenchmarkExport1M exports a million people from a fake that checks
// every answer against the contract, as peoplemock -people 1000000 does,
// with a checkpoint after every page; it reports the calls, the wall time
// and the command's peak memory.
func BenchmarkExport1M(b *testing.B) {
	s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(1_000_000))
	for b.Loop() {
		out, state := tempPath(b, "out.jsonl"), tempPath(b, "state")
		before := s.RequestCount()
		cmd := command(b, s, "export", "-o", out, "-state", state)
		start := time.Now()
		require.NoError(b, cmd.Start())
		peak := watchPeakRSS(cmd.Process.Pid)
		require.NoError(b, cmd.Wait())
		b.ReportMetric(time.Since(start).Seconds(), "s/export")
		b.ReportMetric(float64(s.RequestCount()-before), "calls")
		b.ReportMetric(float64(<-peak)/1024, "MB-peak-RSS")
	}
}

// watchPeakRSS samples the process's peak resident memory (VmHWM, in
// KiB) until it exits, and then sends the last sample. The rusage of a
// child started from a large process counts that process's memory from
// before the exec, so it cannot tell.
func watchPeakRSS(pid int) <-chan int {
	peak := make(chan int, 1)
	go func() {
		last := 0
		for {
			data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err != nil {
				peak <- last
				return
			}
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					if kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))); err == nil {
						last = kb
					}
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	return peak
}

// BenchmarkResumeAfterSIGKILL kills an export of 100,000 people mid-walk
// and resumes it, and reports the pages fetched twice.
func BenchmarkResumeAfterSIGKILL(b *testing.B) {
	s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(100_000))
	for b.Loop() {
		s.Reset()
		out, state := tempPath(b, "out.jsonl"), tempPath(b, "state")
		args := []string{"-o", out, "-state", state}
		exportKilled(b, s, 300, args...)
		require.NoError(b, command(b, s, append([]string{"export"}, args...)...).Run())
		b.ReportMetric(float64(pagesFetchedTwice(s)), "pages-fetched-twice")
		b.ReportMetric(float64(len(readLines(b, out))), "people")
	}
}

// BenchmarkThreeExportsSharingRedis runs three exports at once, sharing
// one allowance through Redis, against a fake that allows 10 calls an
// hour of 2 s, and reports the calls it refused.
func BenchmarkThreeExportsSharingRedis(b *testing.B) {
	addr := testkit.StartRedis(b)
	for b.Loop() {
		s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(100), peopletest.WithHourlyLimit(10, 2*time.Second))
		start := time.Now()
		refused := exportTogether(b, s, addr, 3)
		b.ReportMetric(float64(refused), "refused-calls")
		b.ReportMetric(float64(s.RequestCount()), "calls")
		b.ReportMetric(time.Since(start).Seconds(), "s")
	}
}
