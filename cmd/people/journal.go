package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// journal records each line of an apply that got a final answer, one JSON
// line each, synced before the next line is sent: after a crash, a rerun
// skips what the journal confirms and sends the rest. A line is known by
// its number and the hash of its text, so an edited line is sent again.
// The first line names the file a journal, so that -state given another
// file (the changes themselves, an export's checkpoint) leaves it alone.
type journal struct {
	f     *os.File
	final map[string]string // key -> outcome
}

type journalEntry struct {
	Line    int    `json:"line"`
	Sum     string `json:"sha256"`
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
}

// journalHeader is a journal's first line.
type journalHeader struct {
	Journal string `json:"journal"`
	Version int    `json:"version"`
}

const (
	applyJob       = "people apply"
	journalVersion = 1
)

func (l line) key() string { return fmt.Sprintf("%d:%s", l.n, l.sum) }

// openJournal opens (or starts) the journal at path, locked for the run.
func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("-state %s: %w", path, errors.Unwrap(err))
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-state %s: %w", path, err)
	}
	j := &journal{f: f, final: map[string]string{}}
	if err := j.load(path); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

// load reads every entry, whatever its size, checking the header first:
// nothing is cut or written until the file is known to be a journal.
func (j *journal) load(path string) error {
	r := bufio.NewReader(j.f)
	var keep int64
	for n := 1; ; n++ {
		text, err := r.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("-state %s: reading the journal: %w", path, err)
		}
		if err == io.EOF {
			// A crash mid-write leaves half a line: drop it, so that the
			// next entry starts on a line of its own.
			if n == 1 && len(text) > 0 && !bytes.HasPrefix(headerLine(), text) {
				return notAJournal(path)
			}
			return j.resume(keep, n == 1)
		}
		if n == 1 {
			var h journalHeader
			if json.Unmarshal(text, &h) != nil || h.Journal != applyJob {
				return notAJournal(path)
			}
			if h.Version != journalVersion {
				return fmt.Errorf("%w: -state %s is a journal of another version of this command (%d)", errUsage, path, h.Version)
			}
		} else {
			var e journalEntry
			if json.Unmarshal(text, &e) != nil || e.Sum == "" {
				return fmt.Errorf("%w: -state %s: line %d of the journal is not an entry; it was left as it is", errUsage, path, n)
			}
			j.final[line{n: e.Line, sum: e.Sum}.key()] = e.Outcome
		}
		keep += int64(len(text))
	}
}

func notAJournal(path string) error {
	return fmt.Errorf("%w: -state %s is not a journal of people apply; it was left as it is (give another -state)", errUsage, path)
}

// resume positions the journal after its last whole line, starting a new
// journal with its header.
func (j *journal) resume(keep int64, empty bool) error {
	if err := j.f.Truncate(keep); err != nil {
		return err
	}
	if _, err := j.f.Seek(keep, io.SeekStart); err != nil {
		return err
	}
	if !empty {
		return nil
	}
	if _, err := j.f.Write(headerLine()); err != nil {
		return err
	}
	return j.f.Sync()
}

// earlier returns the outcome an earlier run recorded for l, if any. A nil
// journal has none.
func (j *journal) earlier(l line) (string, bool) {
	if j == nil {
		return "", false
	}
	o, ok := j.final[l.key()]
	return o, ok
}

// record makes l's final outcome durable.
func (j *journal) record(l line, outcome string) error {
	if j == nil {
		return nil
	}
	if err := j.append(journalEntry{Line: l.n, Sum: l.sum, ID: l.id, Outcome: outcome}); err != nil {
		return err
	}
	j.final[l.key()] = outcome
	return nil
}

func (j *journal) append(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(data, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) close() {
	if j != nil {
		j.f.Close()
	}
}

// headerLine is the first line of every journal this version writes.
func headerLine() []byte {
	data, _ := json.Marshal(journalHeader{Journal: applyJob, Version: journalVersion})
	return append(data, '\n')
}
