package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

const exportSynopsis = "people export [-o FILE] [-state FILE] [-name-status S] [-status S] [-prefix P] [-sort F] [-direction D] [-page-size N] [-reserve N] [-redis URL]"

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
type exportState struct {
	Version  int       `json:"version"`
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

const stateVersion = 1

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	var f filters
	var out, statePath string
	var pageSize int
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&out, "o", "-", "write to `FILE` instead of stdout")
	fs.StringVar(&statePath, "state", "", "checkpoint to `FILE` after each page; the same command continues from it (needs -o)")
	fs.StringVar(&f.NameStatus, "name-status", "", "only `S`: all, named or unnamed")
	fs.StringVar(&f.Status, "status", "", "only people whose status is `S`: active or hidden")
	fs.StringVar(&f.Prefix, "prefix", "", "only names starting with `P` (any case)")
	fs.StringVar(&f.Sort, "sort", "", "sort by `F`: name, created_at or updated_at")
	fs.StringVar(&f.Direction, "direction", "", "sort direction `D`: asc or desc")
	fs.IntVar(&pageSize, "page-size", wrapper.MaxPageSize, "people a call, `N` from 1 to 100 (100 makes the fewest calls)")
	c.register(fs)
	if err := parse(fs, exportSynopsis, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, fs.Args())
	}
	opts := wrapper.ListOptions{
		MaxResults: pageSize, NameStatus: wrapper.NameStatus(f.NameStatus), Status: wrapper.Status(f.Status),
		NamePrefix: f.Prefix, SortBy: wrapper.SortBy(f.Sort), Direction: wrapper.Direction(f.Direction),
	}
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if statePath != "" && out == "-" {
		return fmt.Errorf("%w: -state needs -o FILE: a resumed export cuts the output back to its last checkpoint", errUsage)
	}

	st := exportState{Version: stateVersion, Filters: f, PageSize: pageSize}
	if out != "-" {
		abs, err := filepath.Abs(out)
		if err != nil {
			return err
		}
		st.Output = abs
	}
	resumed := false
	if statePath != "" {
		var prev exportState
		found, err := readJSON(statePath, &prev)
		if err != nil {
			return err
		}
		if found {
			if err := prev.sameJob(st); err != nil {
				return fmt.Errorf("%w: %s: %v", errUsage, statePath, err)
			}
			if prev.Done {
				fmt.Fprintf(stderr, "people: this export is already complete: %d people in %s (remove %s to export again)\n", prev.People, out, statePath)
				return nil
			}
			st, resumed = prev, true
		}
	}

	w, closeOut, err := openOutput(out, st.Offset, resumed, stdout)
	if err != nil {
		return err
	}
	defer closeOut()

	prog := newProgress(stderr, "people")
	client, closeClient, err := newClient(c, prog.waiting)
	if err != nil {
		return err
	}
	defer closeClient()
	if resumed {
		fmt.Fprintf(stderr, "people: continuing from the checkpoint in %s: %d people in %d pages already written\n", statePath, st.People, st.Pages)
		prog.done, prog.steps = int(st.People), int(st.Pages)
	}

	opts.NextCursor = st.Cursor
	buf := bufio.NewWriterSize(w, 256<<10)
	for page, err := range client.Pages(ctx, opts) {
		if err != nil {
			prog.finish("stopped after %d people", st.People)
			if statePath != "" {
				return fmt.Errorf("%w; run the same command to continue from the last page written", err)
			}
			return err
		}
		n, err := writePeople(buf, page.People)
		if err == nil {
			err = buf.Flush()
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", out, err)
		}
		st.Offset += n
		st.People += int64(len(page.People))
		st.Pages++
		st.Cursor, st.Done, st.Updated = page.NextCursor, page.NextCursor == "", time.Now().UTC()
		if statePath != "" {
			if err := checkpoint(w, statePath, st); err != nil {
				return err
			}
		}
		left := -1
		if page.RateLimit.Known() {
			left = page.RateLimit.Remaining
		}
		prog.step(len(page.People), left)
	}
	prog.finish("exported %d people in %d pages", st.People, st.Pages)
	return nil
}

// sameJob says why a checkpoint cannot continue into this run: another
// output or other filters.
func (s exportState) sameJob(now exportState) error {
	if s.Version != stateVersion {
		return fmt.Errorf("written by another version of this command (state version %d)", s.Version)
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

// openOutput opens the export's output: stdout for "-"; a resumed file
// cut back to offset, where its last checkpoint ended; else a new file.
func openOutput(path string, offset int64, resume bool, stdout io.Writer) (io.Writer, func(), error) {
	if path == "-" {
		return stdout, func() {}, nil
	}
	if !resume {
		f, err := os.Create(path)
		if err != nil {
			return nil, nil, err
		}
		return f, func() { f.Close() }, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("continuing the export: %w", err)
	}
	info, err := f.Stat()
	if err == nil && info.Size() < offset {
		err = fmt.Errorf("%s holds %d bytes, fewer than the %d its checkpoint counts: it was changed outside this command; start again with a new -state", path, info.Size(), offset)
	}
	if err == nil {
		// A crash after a page was written but before its checkpoint
		// leaves that page twice otherwise.
		err = f.Truncate(offset)
	}
	if err == nil {
		_, err = f.Seek(offset, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// checkpoint makes the written page durable, then the state that counts
// it: the state never counts bytes a crash could lose.
func checkpoint(w io.Writer, statePath string, st exportState) error {
	if f, ok := w.(*os.File); ok {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("syncing the output: %w", err)
		}
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
