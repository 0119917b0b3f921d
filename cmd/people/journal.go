package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// journal records each line of an apply that got a definite answer, one
// JSON line each, synced before the next line is sent: after a crash, a
// rerun skips what the journal confirms and sends the rest. A line is
// known by its number and the hash of its text, so an edited line is
// sent again.
type journal struct {
	f         *os.File
	confirmed map[string]string // key -> outcome
}

type journalEntry struct {
	Line    int    `json:"line"`
	Sum     string `json:"sha256"`
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
}

func (l line) key() string { return fmt.Sprintf("%d:%s", l.n, l.sum) }

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	// A crash mid-write can leave half a line: drop it, so the next entry
	// starts on a line of its own.
	keep := bytes.LastIndexByte(data, '\n') + 1
	if err := f.Truncate(int64(keep)); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(int64(keep), 0); err != nil {
		f.Close()
		return nil, err
	}
	j := &journal{f: f, confirmed: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data[:keep]))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e journalEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Sum != "" {
			j.confirmed[line{n: e.Line, sum: e.Sum}.key()] = e.Outcome
		}
	}
	return j, nil
}

// done reports whether an earlier run confirmed l. A nil journal
// confirms nothing.
func (j *journal) done(l line) bool {
	if j == nil {
		return false
	}
	_, ok := j.confirmed[l.key()]
	return ok
}

// record confirms l durably.
func (j *journal) record(l line, outcome string) error {
	if j == nil {
		return nil
	}
	data, err := json.Marshal(journalEntry{Line: l.n, Sum: l.sum, ID: l.id, Outcome: outcome})
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(data, '\n')); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return err
	}
	j.confirmed[l.key()] = outcome
	return nil
}

func (j *journal) close() { j.f.Close() }
