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
	"unicode/utf8"

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
	stop     = "stop" // the caller was refused, not the line
)

// applyRun is one apply: its flags, and what its lines came to.
type applyRun struct {
	c       common
	state   string
	dryRun  bool
	counts  map[string]int
	stopped bool
}

func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &applyRun{counts: map[string]int{}}
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.StringVar(&a.state, "state", "", "journal to `FILE`: a rerun sends only the lines without a final answer")
	fs.BoolVar(&a.dryRun, "dry-run", false, "print what would change (reading each person) and send no write")
	a.c.register(fs)
	if err := parse(fs, applySynopsis, args, stdout, stderr); err != nil {
		return exitStatus(ctx, err, stderr)
	}
	if fs.NArg() != 1 {
		return exitStatus(ctx, fmt.Errorf("%w: apply takes one FILE of changes (JSON Lines), got %d arguments", errUsage, fs.NArg()), stderr)
	}
	if a.state != "" && sameFile(a.state, fs.Arg(0)) {
		return exitStatus(ctx, fmt.Errorf("%w: -state names the changes file %s itself; give the journal a file of its own", errUsage, fs.Arg(0)), stderr)
	}
	lines, err := readChanges(fs.Arg(0))
	if err != nil {
		return exitStatus(ctx, err, stderr)
	}
	t, err := readTarget()
	if err == nil {
		err = a.c.check()
	}
	if err != nil {
		return exitStatus(ctx, err, stderr)
	}
	prog := newProgress(stderr, "lines", a.c.reserve)
	client, closeClient, err := newClient(ctx, a.c, t, prog.waiting)
	if err != nil {
		return exitStatus(ctx, err, stderr)
	}
	defer closeClient()
	var j *journal
	if a.state != "" && !a.dryRun {
		if j, err = openJournal(a.state); err != nil {
			return exitStatus(ctx, err, stderr)
		}
		defer j.close()
	}
	err = a.each(ctx, client, j, lines, stdout, prog)
	prog.finish("%s", a.summary())
	if err != nil {
		return exitStatus(ctx, err, stderr)
	}
	return a.exit()
}

// each applies the lines in turn; it stops early on an interrupt, and on
// an answer that no line would get past (the credentials refused).
func (a *applyRun) each(ctx context.Context, client *wrapper.Client, j *journal, lines []line, stdout io.Writer, prog *progress) error {
	for _, l := range lines {
		if ctx.Err() != nil {
			a.stopped = true
			return nil
		}
		outcome, detail, err := a.apply(ctx, client, j, l)
		if err != nil {
			fmt.Fprintf(stdout, "line %d: not sent: the credentials were refused\n", l.n)
			return cliError(err, a.c, client)
		}
		if outcome == failed && ctx.Err() != nil {
			a.stopped = true
			return nil
		}
		a.counts[outcome]++
		fmt.Fprintf(stdout, "line %d: %s%s\n", l.n, outcome, detail)
		prog.step(1, client.RateLimit())
	}
	return nil
}

func (a *applyRun) summary() string {
	var parts []string
	for _, o := range []string{applied, skipped, notFound, refused, failed, invalid} {
		if a.counts[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", a.counts[o], o))
		}
	}
	verb := "done"
	if a.dryRun {
		verb = "dry run done, nothing written"
	}
	if a.stopped {
		verb = "stopped; run the same command to continue"
	}
	return verb + ": " + strings.Join(parts, ", ")
}

func (a *applyRun) exit() int {
	switch {
	case a.stopped:
		return exitInterrupted
	case a.counts[notFound]+a.counts[refused]+a.counts[failed]+a.counts[invalid] > 0:
		return exitFailed
	}
	return exitOK
}

// apply sends one line, or says why not, and journals a final answer. An
// answer that refuses the caller rather than the line (401, 403) is the
// error: every other line would meet it too.
func (a *applyRun) apply(ctx context.Context, client *wrapper.Client, j *journal, l line) (outcome, detail string, err error) {
	if l.bad != nil {
		return invalid, ": " + l.bad.Error(), nil
	}
	if was, ok := j.earlier(l); ok {
		if was == applied {
			return skipped, " " + l.id + " (applied in an earlier run)", nil
		}
		// A final failure stays one: reported again, and counted.
		return was, " " + l.id + " (in an earlier run)", nil
	}
	if a.dryRun {
		return preview(ctx, client, l)
	}
	_, err = client.UpdatePerson(ctx, l.id, l.update)
	outcome = classify(err)
	switch outcome {
	case stop:
		return "", "", err
	case applied, notFound:
		detail = " " + l.id
	default:
		detail = " " + l.id + ": " + bareMessage(err)
	}
	if outcome != failed {
		if jerr := j.record(l, outcome); jerr != nil {
			return failed, fmt.Sprintf(" %s: %s, but the journal could not record it: %v", l.id, outcome, jerr), nil
		}
	}
	return outcome, detail, nil
}

// classify names an UpdatePerson outcome. Only a verdict on the line
// itself is final: done, no such person, or the API refusing the line's
// content. A network failure, a server error or a rate limit is sent
// again by a rerun, and refused credentials stop the run.
func classify(err error) string {
	var apiErr *wrapper.APIError
	switch {
	case err == nil:
		return applied
	case errors.Is(err, wrapper.ErrNotFound):
		return notFound
	case errors.Is(err, wrapper.ErrAuthentication), errors.Is(err, wrapper.ErrFeatureNotEnabled):
		return stop
	case errors.Is(err, wrapper.ErrValidation), errors.Is(err, wrapper.ErrInvalidInput):
		return refused
	case errors.As(err, &apiErr) && (apiErr.StatusCode == 409 || apiErr.StatusCode == 422):
		return refused
	}
	return failed
}

// preview reads the person and says what the line would change.
func preview(ctx context.Context, client *wrapper.Client, l line) (string, string, error) {
	p, err := client.GetPerson(ctx, l.id)
	if err != nil {
		switch o := classify(err); o {
		case stop:
			return "", "", err
		case notFound:
			return notFound, " " + l.id, nil
		default:
			return o, " " + l.id + ": " + bareMessage(err), nil
		}
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
		return "would change nothing", " " + l.id + " (already so)", nil
	}
	return "would change", " " + l.id + ": " + strings.Join(diffs, ", "), nil
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
	if !utf8.Valid(text) {
		// JSON decoding would turn the bytes into U+FFFD and send a name
		// the file never held.
		l.bad = errors.New("not valid UTF-8 (save the file as UTF-8)")
		return l
	}
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
