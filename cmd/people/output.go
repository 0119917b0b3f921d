package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// output is an export's file, locked for the run and left exactly as it
// was until the first page arrives: a run that fails before (bad
// credentials, Redis down) loses nothing of an earlier export.
type output struct {
	f       *os.File
	path    string
	created bool // the file did not exist before this run
	started bool // the first page was written
}

// openOutput opens path without changing it and locks it: one run at a
// time writes an output (and so uses the checkpoint that counts it).
func openOutput(path string) (*output, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("-o %s: %w", path, errors.Unwrap(err))
	}
	o := &output{f: f, path: path, created: errors.Is(statErr, fs.ErrNotExist)}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-o %s: %w", path, err)
	}
	return o, nil
}

// endsLineAt reports whether the file's first offset bytes are whole
// lines: a checkpoint counts only whole lines, so any other offset is a
// state that does not belong to this output.
func (o *output) endsLineAt(offset int64) error {
	info, err := o.f.Stat()
	if err != nil {
		return err
	}
	if info.Size() < offset {
		return fmt.Errorf("%s holds %d bytes, fewer than the %d its checkpoint counts: it was changed outside this command", o.path, info.Size(), offset)
	}
	if offset == 0 {
		return nil
	}
	b := make([]byte, 1)
	if _, err := o.f.ReadAt(b, offset-1); err != nil {
		return err
	}
	if b[0] != '\n' {
		return fmt.Errorf("the checkpoint's offset %d is in the middle of a line of %s: the state is not this output's", offset, o.path)
	}
	return nil
}

// begin cuts the file back to offset, where the last checkpoint ended (a
// crash after a page was written but before its checkpoint would leave
// that page twice otherwise), and writes from there.
func (o *output) begin(offset int64) error {
	if err := o.f.Truncate(offset); err != nil {
		return err
	}
	if _, err := o.f.Seek(offset, io.SeekStart); err != nil {
		return err
	}
	o.started = true
	return nil
}

// close releases the file; one this run made and never wrote goes away.
func (o *output) close() {
	o.f.Close()
	if o.created && !o.started {
		os.Remove(o.path)
	}
}

// sameFile reports whether a and b name one file, by identity when both
// exist (a link or another spelling of the path is the same file) and by
// absolute path otherwise.
func sameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// clearStaleTemps removes the temporary files writeAtomic leaves beside
// path when the process is killed between creating and renaming one. It
// runs under the job's lock, when no other run can be writing one.
func clearStaleTemps(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	temp := regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.[0-9]+$`)
	for _, e := range entries {
		if e.Type().IsRegular() && temp.MatchString(e.Name()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
