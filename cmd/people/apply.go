package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

const applySynopsis = "people apply [-state FILE] [-dry-run] [-reserve N] [-redis URL] FILE"

// change is one line of an apply file.
type change struct {
	ID        string  `json:"id"`
	Name      *string `json:"name"`
	Status    *string `json:"status"`
	Thumbnail *string `json:"thumbnail"`
}

// line is a numbered line of the apply file and what it asks for.
type line struct {
	n      int
	sum    string // of the line's text: an edited line is a new change
	id     string
	update wrapper.PersonUpdate
	bad    error // why the line cannot be sent
}

// Outcomes of a line.
const (
	applied  = "applied"
	notFound = "not found"
	refused  = "refused"
	failed   = "failed"
	invalid  = "invalid"
	skipped  = "skipped"
)

func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c common
	var statePath string
	var dryRun bool
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.StringVar(&statePath, "state", "", "journal to `FILE`: a rerun sends only the lines not confirmed")
	fs.BoolVar(&dryRun, "dry-run", false, "print what would change (reading each person) and send no write")
	c.register(fs)
	if err := parse(fs, applySynopsis, args, stdout, stderr); err != nil {
		return exitStatus(ctx, err, stderr)
	}
	if fs.NArg() != 1 {
		return exitStatus(ctx, fmt.Errorf("%w: apply takes one FILE of changes (JSON Lines), got %d arguments", errUsage, fs.NArg()), stderr)
	}
	lines, err := readChanges(fs.Arg(0))
	if err != nil {
		return exitStatus(ctx, err, stderr)
	}
	var j *journal
	if statePath != "" && !dryRun {
		if j, err = openJournal(statePath); err != nil {
			return exitStatus(ctx, err, stderr)
		}
		defer j.close()
	}
	prog := newProgress(stderr, "lines")
	client, closeClient, err := newClient(c, prog.waiting)
	if err != nil {
		return exitStatus(ctx, err, stderr)
	}
	defer closeClient()

	counts := map[string]int{}
	stopped := false
	for _, l := range lines {
		if ctx.Err() != nil {
			stopped = true
			break
		}
		outcome, detail := apply(ctx, client, j, l, dryRun)
		if outcome == failed && ctx.Err() != nil {
			stopped = true
			break
		}
		counts[outcome]++
		fmt.Fprintf(stdout, "line %d: %s%s\n", l.n, outcome, detail)
		left := -1
		if rl := client.RateLimit(); rl.Known() {
			left = rl.Remaining
		}
		prog.step(1, left)
	}
	var summary []string
	for _, o := range []string{applied, skipped, notFound, refused, failed, invalid} {
		if counts[o] > 0 {
			summary = append(summary, fmt.Sprintf("%d %s", counts[o], o))
		}
	}
	verb := "done"
	if dryRun {
		verb = "dry run done, nothing written"
	}
	if stopped {
		verb = "stopped; run the same command to continue"
	}
	prog.finish("%s: %s", verb, strings.Join(summary, ", "))
	switch {
	case stopped:
		return exitInterrupted
	case counts[notFound]+counts[refused]+counts[failed]+counts[invalid] > 0:
		return exitFailed
	}
	return exitOK
}

// apply sends one line, or says why not, and journals a confirmed answer.
func apply(ctx context.Context, client *wrapper.Client, j *journal, l line, dryRun bool) (outcome, detail string) {
	if l.bad != nil {
		return invalid, ": " + l.bad.Error()
	}
	if j.done(l) {
		return skipped, " " + l.id + " (confirmed in an earlier run)"
	}
	if dryRun {
		return preview(ctx, client, l)
	}
	_, err := client.UpdatePerson(ctx, l.id, l.update)
	outcome = classify(err)
	switch outcome {
	case applied:
		detail = " " + l.id
	case notFound:
		detail = " " + l.id
	default:
		detail = " " + l.id + ": " + err.Error()
	}
	if outcome != failed {
		if jerr := j.record(l, outcome); jerr != nil {
			return failed, fmt.Sprintf(" %s: %s, but the journal could not record it: %v", l.id, outcome, jerr)
		}
	}
	return outcome, detail
}

// classify names an UpdatePerson outcome. Only a definite answer (done,
// no such person, or a refusal a retry would meet again) is confirmed;
// a network failure, a server error or a rate limit is sent again by a
// rerun.
func classify(err error) string {
	var apiErr *wrapper.APIError
	switch {
	case err == nil:
		return applied
	case errors.Is(err, wrapper.ErrNotFound):
		return notFound
	case errors.Is(err, wrapper.ErrRateLimited), errors.Is(err, wrapper.ErrServer):
		return failed
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500:
		return refused
	}
	return failed
}

// preview reads the person and says what the line would change.
func preview(ctx context.Context, client *wrapper.Client, l line) (string, string) {
	p, err := client.GetPerson(ctx, l.id)
	if err != nil {
		o := classify(err)
		if o == notFound {
			return notFound, " " + l.id
		}
		return o, " " + l.id + ": " + err.Error()
	}
	var diffs []string
	u := l.update
	if u.Name != "" && u.Name != p.Name {
		diffs = append(diffs, fmt.Sprintf("name %q → %q", p.Name, u.Name))
	}
	if u.Status != "" && u.Status != p.Status {
		diffs = append(diffs, fmt.Sprintf("status %s → %s", p.Status, u.Status))
	}
	if u.ThumbnailAssetID != "" && (p.Thumbnail == nil || p.Thumbnail.AssetID != u.ThumbnailAssetID) {
		diffs = append(diffs, fmt.Sprintf("thumbnail → asset %s", u.ThumbnailAssetID))
	}
	if len(diffs) == 0 {
		return "would change nothing", " " + l.id + " (already so)"
	}
	return "would change", " " + l.id + ": " + strings.Join(diffs, ", ")
}

// readChanges reads and checks every line of path before anything is
// sent. A line that cannot be sent keeps the reason; the rest still go.
func readChanges(path string) ([]line, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	defer f.Close()
	var out []line
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		text, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(text)) > 0 {
			out = append(out, parseChange(n, bytes.TrimSpace(text)))
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
}

func parseChange(n int, text []byte) line {
	sum := sha256.Sum256(text)
	l := line{n: n, sum: hex.EncodeToString(sum[:])}
	var c change
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		l.bad = fmt.Errorf("not a JSON object of id, name, status and thumbnail: %v", err)
		return l
	}
	if dec.More() {
		l.bad = errors.New("more than one JSON value on the line")
		return l
	}
	l.id = c.ID
	switch {
	case strings.TrimSpace(c.ID) == "":
		l.bad = errors.New(`no "id"`)
	case c.Name == nil && c.Status == nil && c.Thumbnail == nil:
		l.bad = errors.New(`nothing to change: give "name", "status" or "thumbnail"`)
	case c.Name != nil && *c.Name == "":
		l.bad = errors.New(`"name" is empty: the API renames a person, it cannot clear a name`)
	case c.Status != nil && *c.Status == "":
		l.bad = errors.New(`"status" is empty: want active or hidden`)
	case c.Thumbnail != nil && *c.Thumbnail == "":
		l.bad = errors.New(`"thumbnail" is empty: want an asset ID`)
	}
	if l.bad != nil {
		return l
	}
	if c.Name != nil {
		l.update.Name = *c.Name
	}
	if c.Status != nil {
		l.update.Status = wrapper.Status(*c.Status)
	}
	if c.Thumbnail != nil {
		l.update.ThumbnailAssetID = *c.Thumbnail
	}
	if err := l.update.Validate(); err != nil {
		l.bad = errors.New(strings.TrimPrefix(err.Error(), "people: invalid input: "))
	}
	return l
}
