package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// filters are the export's query; a state file records them so that a
// resumed export cannot continue another query's walk.
type filters struct {
	NameStatus string `json:"name_status,omitempty"`
	Status     string `json:"status,omitempty"`
	Prefix     string `json:"prefix,omitempty"`
	Sort       string `json:"sort,omitempty"`
	Direction  string `json:"direction,omitempty"`
}

// exportState is the checkpoint written after each page: the output holds
// exactly Offset bytes of whole lines, and Cursor continues after them.
// Job, Cloud and API say whose walk it is: a cursor of one account means
// nothing to another.
type exportState struct {
	Job      string    `json:"job"`
	Version  int       `json:"version"`
	Cloud    string    `json:"cloud"`
	API      string    `json:"api"`
	Output   string    `json:"output"`
	Filters  filters   `json:"filters"`
	PageSize int       `json:"page_size"`
	Cursor   string    `json:"next_cursor,omitempty"`
	Offset   int64     `json:"offset"`
	People   int64     `json:"people"`
	Pages    int64     `json:"pages"`
	Done     bool      `json:"done"`
	Updated  time.Time `json:"updated"`
}

const (
	exportJob    = "people export"
	stateVersion = 2
)

// loadState reads the checkpoint at path into st when there is one; a
// file that is not an export's checkpoint is refused and left as it is.
func loadState(path string, now exportState) (st exportState, found bool, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return now, false, nil
	}
	if err != nil {
		return now, false, fmt.Errorf("-state %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return now, false, fmt.Errorf("-state %s: %w", path, err)
	}
	var prev exportState
	if json.Unmarshal(data, &prev) != nil || prev.Job != exportJob {
		return now, false, fmt.Errorf("%w: -state %s is not a checkpoint of people export; it was left as it is (give another -state)", errUsage, path)
	}
	if err := prev.sameJob(now); err != nil {
		return now, false, fmt.Errorf("%w: -state %s: %v", errUsage, path, err)
	}
	return prev, true, nil
}

// sameJob says why a checkpoint cannot continue into this run: another
// version, account, output or other filters.
func (s exportState) sameJob(now exportState) error {
	if s.Version != stateVersion {
		return fmt.Errorf("written by another version of this command (state version %d)", s.Version)
	}
	if s.Cloud != now.Cloud || s.API != now.API {
		return fmt.Errorf("the checkpoint is of cloud %q at %s, and CLOUDINARY_URL names cloud %q at %s; use the same CLOUDINARY_URL, or another -state", s.Cloud, s.API, now.Cloud, now.API)
	}
	if s.Output != now.Output {
		return fmt.Errorf("the checkpoint is of an export to %s, not %s; give the same -o or another -state", s.Output, now.Output)
	}
	for _, d := range []struct{ flag, was, is string }{
		{"-name-status", s.Filters.NameStatus, now.Filters.NameStatus},
		{"-status", s.Filters.Status, now.Filters.Status},
		{"-prefix", s.Filters.Prefix, now.Filters.Prefix},
		{"-sort", s.Filters.Sort, now.Filters.Sort},
		{"-direction", s.Filters.Direction, now.Filters.Direction},
	} {
		if d.was != d.is {
			return fmt.Errorf("the export was started with %s %q, and this run has %s %q; continue with the same filters, or start again with another -state", d.flag, d.was, d.flag, d.is)
		}
	}
	return nil
}

// checkpoint makes the written page durable, then the state that counts
// it: the state never counts bytes a crash could lose.
func checkpoint(out *os.File, statePath string, st exportState) error {
	if err := out.Sync(); err != nil {
		return fmt.Errorf("syncing the output: %w", err)
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(statePath, append(data, '\n')); err != nil {
		return fmt.Errorf("writing the checkpoint %s: %w", statePath, err)
	}
	return nil
}
