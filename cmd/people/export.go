package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

const exportSynopsis = "people export [-o FILE] [-state FILE] [-name-status S] [-status S] [-prefix P] [-sort F] [-direction D] [-page-size N] [-reserve N] [-redis URL]"

// exportCmd is one export: its flags, and the account it runs against.
type exportCmd struct {
	c         common
	f         filters
	out       string
	statePath string
	pageSize  int
}

// runExport checks everything it can (flags, CLOUDINARY_URL, -redis, the
// checkpoint and the output) before it changes any file, then walks.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e, err := parseExport(args, stdout, stderr)
	if err != nil {
		return err
	}
	t, err := readTarget()
	if err != nil {
		return err
	}
	if err := e.c.check(); err != nil {
		return err
	}
	st := exportState{Job: exportJob, Version: stateVersion, Cloud: t.cloud, API: t.api, Filters: e.f, PageSize: e.pageSize}
	if e.out == "-" {
		return e.walk(ctx, t, stdout, nil, st, stderr)
	}
	if st.Output, err = filepath.Abs(e.out); err != nil {
		return err
	}
	out, err := openOutput(e.out)
	if err != nil {
		return err
	}
	defer out.close()
	if e.statePath != "" {
		prev, found, err := loadState(e.statePath, st)
		if err != nil {
			return err
		}
		if found && prev.Done {
			fmt.Fprintf(stderr, "people: this export is already complete: %d people in %s (remove %s to export again)\n", prev.People, e.out, e.statePath)
			return nil
		}
		if found {
			if err := out.endsLineAt(prev.Offset); err != nil {
				return fmt.Errorf("%w: -state %s: %v; start again with another -state", errUsage, e.statePath, err)
			}
			fmt.Fprintf(stderr, "people: continuing from the checkpoint in %s: %d people in %d pages already written\n", e.statePath, prev.People, prev.Pages)
		}
		st = prev
		clearStaleTemps(e.statePath)
	}
	return e.walk(ctx, t, out.f, out, st, stderr)
}

// parseExport reads the flags and checks them in their own names.
func parseExport(args []string, stdout, stderr io.Writer) (*exportCmd, error) {
	e := &exportCmd{}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&e.out, "o", "-", "write to `FILE` instead of stdout")
	fs.StringVar(&e.statePath, "state", "", "checkpoint to `FILE` after each page; the same command continues from it (needs -o)")
	fs.StringVar(&e.f.NameStatus, "name-status", "", "only `S`: all, named or unnamed")
	fs.StringVar(&e.f.Status, "status", "", "only people whose status is `S`: active or hidden")
	fs.StringVar(&e.f.Prefix, "prefix", "", "only names starting with `P` (any case)")
	fs.StringVar(&e.f.Sort, "sort", "", "sort by `F`: name, created_at or updated_at")
	fs.StringVar(&e.f.Direction, "direction", "", "sort direction `D`: asc or desc")
	fs.IntVar(&e.pageSize, "page-size", wrapper.MaxPageSize, "people a call, `N` from 1 to 100 (100 makes the fewest calls)")
	e.c.register(fs)
	if err := parse(fs, exportSynopsis, args, stdout, stderr); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("%w: export takes no arguments, got %q", errUsage, fs.Args())
	case e.statePath != "" && e.out == "-":
		return nil, fmt.Errorf("%w: -state needs -o FILE: a resumed export cuts the output back to its last checkpoint", errUsage)
	case e.statePath != "" && sameFile(e.out, e.statePath):
		return nil, fmt.Errorf("%w: -o and -state name the same file %s: the checkpoint would replace the export; give -state another file", errUsage, e.out)
	case e.pageSize < wrapper.MinPageSize || e.pageSize > wrapper.MaxPageSize:
		return nil, fmt.Errorf("%w: -page-size %d: want %d to %d", errUsage, e.pageSize, wrapper.MinPageSize, wrapper.MaxPageSize)
	}
	for _, c := range []struct {
		flag, value string
		allowed     []string
	}{
		{"-name-status", e.f.NameStatus, names(generated.NameStatusValues())},
		{"-status", e.f.Status, names(generated.PersonStatusValues())},
		{"-sort", e.f.Sort, names(generated.SortByValues())},
		{"-direction", e.f.Direction, names(generated.DirectionValues())},
	} {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			return nil, fmt.Errorf("%w: %s %q: want one of %v", errUsage, c.flag, c.value, c.allowed)
		}
	}
	return e, nil
}

func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func (e *exportCmd) options(cursor string) wrapper.ListOptions {
	return wrapper.ListOptions{
		MaxResults: e.pageSize, NextCursor: cursor, NameStatus: wrapper.NameStatus(e.f.NameStatus),
		Status: wrapper.Status(e.f.Status), NamePrefix: e.f.Prefix, SortBy: wrapper.SortBy(e.f.Sort),
		Direction: wrapper.Direction(e.f.Direction),
	}
}

// walk fetches the pages from the checkpoint st on, writes each to w and
// checkpoints it; out is nil when w is stdout.
func (e *exportCmd) walk(ctx context.Context, t target, w io.Writer, out *output, st exportState, stderr io.Writer) error {
	prog := newProgress(stderr, "people", e.c.reserve)
	prog.done, prog.steps = int(st.People), int(st.Pages)
	client, closeClient, err := newClient(ctx, e.c, t, prog.waiting)
	if err != nil {
		return err
	}
	defer closeClient()
	buf := bufio.NewWriterSize(w, 256<<10)
	for page, err := range client.Pages(ctx, e.options(st.Cursor)) {
		if err != nil {
			prog.finish("stopped after %d people", st.People)
			return e.stopped(err, client)
		}
		if out != nil && !out.started {
			if err := out.begin(st.Offset); err != nil {
				return fmt.Errorf("-o %s: %w", e.out, err)
			}
		}
		n, err := writePeople(buf, page.People)
		if err == nil {
			err = buf.Flush()
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", e.out, err)
		}
		st.Offset += n
		st.People += int64(len(page.People))
		st.Pages++
		st.Cursor, st.Done, st.Updated = page.NextCursor, page.NextCursor == "", time.Now().UTC()
		if e.statePath != "" {
			if err := checkpoint(out.f, e.statePath, st); err != nil {
				return err
			}
		}
		prog.step(len(page.People), page.RateLimit)
	}
	prog.finish("exported %d people in %d pages", st.People, st.Pages)
	return nil
}

// stopped words a failed walk for the command line.
func (e *exportCmd) stopped(err error, client *wrapper.Client) error {
	err = cliError(err, e.c, client)
	if e.statePath != "" {
		return fmt.Errorf("%w; run the same command to continue from the last page written", err)
	}
	return err
}
