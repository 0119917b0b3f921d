// Package testkit holds small helpers that tests in several packages of
// this module share. It is internal: users test with wrapper/peopletest.
package testkit

import (
	"strings"
	"sync"
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
