// Package testkit holds small helpers that tests in several packages of
// this module share. It is internal: users test with wrapper/peopletest.
package testkit

import (
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// SyncBuffer is an io.Writer safe for concurrent writes, for capturing
// logs written by parallel calls or by a program under test.
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TB is the part of testing.TB the helpers here use.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Cleanup(func())
}

// StartRedis starts Debian's redis-server on a free loopback port, with
// nothing saved to disk, and stops it when the test ends; it returns the
// server's address. Without redis-server on PATH the test is skipped
// with the reason, except under CI=true, where a missing server fails it:
// CI installs one, so its absence is a broken machine, not a choice.
func StartRedis(t TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server is not installed, and CI=true: .ci/run installs it (apt-get install redis-server)")
		}
		t.Skipf("redis-server is not installed (apt-get install redis-server); the Redis tests need a real one")
	}
	// A free port can be taken by another test between our finding it and
	// redis-server binding it: redis-server then exits, and another port
	// is tried. Only a PONG proves the port is this server's.
	var last string
	for range 5 {
		addr, out, ok := tryRedis(t, bin)
		if ok {
			return addr
		}
		last = out
	}
	t.Fatalf("redis-server did not start on a free loopback port in 5 tries:\n%s", last)
	return ""
}

// tryRedis starts redis-server on a port that was free a moment ago and
// waits until it answers PING there, or exits.
func tryRedis(t TB, bin string) (addr, output string, ok bool) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr = l.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	l.Close()
	dir, err := os.MkdirTemp("", "redis")
	if err != nil {
		t.Fatalf("%v", err)
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	var out SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		t.Fatalf("starting redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	stop := func() {
		cmd.Process.Kill()
		<-exited
		os.RemoveAll(dir)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-exited:
			os.RemoveAll(dir)
			return "", out.String(), false
		default:
		}
		if pong(addr) {
			t.Cleanup(stop)
			return addr, "", true
		}
	}
	stop()
	return "", "no PONG within 10s:\n" + out.String(), false
}

// pong says whether a Redis server answers PING at addr.
func pong(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	reply := make([]byte, 7)
	n, _ := io.ReadFull(c, reply)
	return string(reply[:n]) == "+PONG\r\n"
}
