package contract

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// Bounds on what a Server or Proxy keeps, so that a long run cannot grow
// without end; the totals go on counting past them.
const (
	maxRecorded         = 10000    // requests kept, the oldest first
	maxRecordedBody     = 64 << 10 // bytes kept of one request body
	maxRecordedBytes    = 48 << 20 // bytes of requests kept in all
	maxRecordedFields   = 16 << 10 // bytes of one request's query and header kept
	maxFindings         = 1000     // violations kept, and distinct drift findings
	maxFindingTextBytes = 1024     // of a violation's path and rule
)

// Request is a call the server received.
type Request struct {
	Method string
	Path   string // escaped, as sent
	Query  url.Values
	Header http.Header
	Body   []byte // at most 64 KiB of it
	// BodyTruncated is set when Body holds less than was sent: a body over
	// 64 KiB, or any body once 48 MiB of requests are kept.
	BodyTruncated bool
	Time          time.Time
	Seq           int // 1-based position among all calls received
	// Status is the status the call was answered with; 0 while it is
	// being answered, or when no answer was sent (a dropped connection).
	Status int
}

// Totals counts what a Server or Proxy saw since it started; unlike its
// lists, a Reset does not clear them.
type Totals struct {
	Calls      int
	Violations int // injected ones included
	Drift      int // distinct findings
	// Injected counts the violations made on purpose (an injected Fault's
	// answer, a request marked with ProbeHeader); InjectedDrift the drift
	// findings first seen in an injected answer. Both are counted in
	// Violations and Drift too.
	Injected, InjectedDrift int
}

// Log is the log a Server and a Proxy keep: the calls, the contract
// violations and the drift. Reset starts a new generation; a call that
// began in an older one adds nothing to the new lists.
type Log struct {
	mu         sync.Mutex
	gen        uint64
	count      int // calls in this generation
	requests   []Request
	keptBytes  int
	violations []Error
	drift      []Drift
	driftSeen  map[uint64]int // this generation's listed findings, by key hash: their index in drift
	totals     Totals
	driftAll   FindingSet // every distinct finding since start, for Totals and reporting
}

// Bounds on the parts of a recorded request other than its body: a client
// may send a header or a query of any size, and the log must stay small.
const (
	maxRecordedPath    = 2 << 10 // bytes of the path
	maxRecordedValue   = 1 << 10 // bytes of one header or query value
	maxRecordedEntries = 64      // header names, and query names, kept
	maxRecordedValues  = 8       // values of one name
)

// Begin counts and records a call, with every secret scrub knows
// replaced wherever it stands; the generation it returns goes with the
// call's findings. Secrets are replaced before anything is cut, so that
// a cut cannot leave a piece of one behind, and what is kept is copied:
// a piece of a large request line would keep all of it alive.
func (t *Log) Begin(r *http.Request, body []byte, bodyTruncated bool, scrub *redact.Scrubber) (seq int, gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.count++
	t.totals.Calls++
	if len(t.requests) < maxRecorded {
		budget := max(maxRecordedBytes-t.keptBytes, 0)
		kept := scrub.Bytes(body)
		if n := min(maxRecordedBody, budget); len(kept) > n {
			kept, bodyTruncated = kept[:n], true
		}
		fields := min(maxRecordedFields, budget-len(kept))
		req := Request{
			Method: strings.Clone(apirules.Cut(r.Method, 20)),
			Path:   strings.Clone(apirules.Cut(scrub.String(r.URL.EscapedPath()), maxRecordedPath)),
			Query:  url.Values(boundValues(r.URL.Query(), scrub, &fields)), Header: http.Header(boundValues(r.Header, scrub, &fields)),
			Body: bytes.Clone(kept), BodyTruncated: bodyTruncated, Time: time.Now(), Seq: t.count,
		}
		t.keptBytes += req.size()
		t.requests = append(t.requests, req.redacted())
	}
	return t.count, t.gen
}

// size is about what r keeps alive, for the log's bound in bytes.
func (r Request) size() int {
	n := len(r.Method) + len(r.Path) + len(r.Body)
	for _, m := range []map[string][]string{r.Query, r.Header} {
		for name, values := range m {
			n += len(name)
			for _, v := range values {
				n += len(v)
			}
		}
	}
	return n
}

// boundValues copies a header or a query within the log's bounds, each
// value scrubbed and then cut, spending at most *budget bytes of names
// and values.
func boundValues(in map[string][]string, scrub *redact.Scrubber, budget *int) map[string][]string {
	out := make(map[string][]string, min(len(in), maxRecordedEntries))
	names := make([]string, 0, len(in))
	for name := range in {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, key := range names[:min(len(names), maxRecordedEntries)] {
		name, values := strings.Clone(apirules.Cut(key, maxRecordedValue)), in[key]
		kept := make([]string, 0, min(len(values), maxRecordedValues))
		for _, v := range values[:min(len(values), maxRecordedValues)] {
			v = strings.Clone(apirules.Cut(scrub.String(v), maxRecordedValue))
			if *budget < len(name)+len(v) {
				break
			}
			*budget -= len(name) + len(v)
			kept = append(kept, v)
		}
		out[name] = kept
	}
	return out
}

// Answered records the status call seq of generation gen was answered
// with, when that call is still in the log.
func (t *Log) Answered(gen uint64, seq, status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen == t.gen && seq >= 1 && seq <= len(t.requests) {
		t.requests[seq-1].Status = status
	}
}

// Violation counts e and keeps it, unless its call began before a reset.
func (t *Log) Violation(gen uint64, e *Error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.totals.Violations++
	if e.Injected {
		t.totals.Injected++
	}
	if gen == t.gen && len(t.violations) < maxFindings {
		c := *e
		c.Path, c.Rule = apirules.Cut(c.Path, maxFindingTextBytes), apirules.Cut(c.Rule, maxFindingTextBytes)
		t.violations = append(t.violations, c)
	}
}

// ObserveDrift counts the findings not seen since start and returns
// them, to be reported, whether or not the list has room: each operation,
// location and kind is one finding however often it comes. Those of this
// generation are listed too, while there is room.
func (t *Log) ObserveDrift(gen uint64, found []Drift, injected bool) []Drift {
	if len(found) == 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var fresh []Drift
	for _, d := range found {
		h := d.hash()
		if t.driftAll.add(h) {
			t.totals.Drift++
			if injected {
				t.totals.InjectedDrift++
			}
			fresh = append(fresh, d)
		}
		if gen != t.gen {
			continue
		}
		if i, ok := t.driftSeen[h]; ok {
			// The finding again: its schema comes from every value seen.
			if d.Schema != nil {
				t.drift[i].Schema = mergeSchemas(t.drift[i].Schema, d.Schema)
			}
			continue
		}
		if len(t.drift) >= maxFindings {
			continue
		}
		if t.driftSeen == nil {
			t.driftSeen = map[uint64]int{}
		}
		t.driftSeen[h] = len(t.drift)
		t.drift = append(t.drift, d)
	}
	return fresh
}

// FindingSet remembers the findings seen since start in bounded memory:
// exactly, by hash, up to maxExactFindings, and past that in a bit set of
// fixed size, whose rare collisions can only make a new finding look seen.
type FindingSet struct {
	exact map[uint64]struct{}
	bits  []uint64 // nil until exact is full
}

const (
	maxExactFindings = 100_000
	findingBits      = 1 << 24 // 2 MiB
)

// AddDrift reports whether d was not seen before, and remembers it: each
// operation, location and kind is one finding however often it comes.
func (f *FindingSet) AddDrift(d Drift) bool { return f.add(d.hash()) }

// add reports whether h was not seen before, and remembers it.
func (f *FindingSet) add(h uint64) bool {
	if _, ok := f.exact[h]; ok {
		return false
	}
	if len(f.exact) < maxExactFindings {
		if f.exact == nil {
			f.exact = map[uint64]struct{}{}
		}
		f.exact[h] = struct{}{}
		return true
	}
	if f.bits == nil {
		f.bits = make([]uint64, findingBits/64)
	}
	i := h % findingBits
	if f.bits[i/64]&(1<<(i%64)) != 0 {
		return false
	}
	f.bits[i/64] |= 1 << (i % 64)
	return true
}

// Reset starts a new generation: the lists empty, the totals stay, and a
// call that began before adds nothing to the new lists.
func (t *Log) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gen++
	t.count, t.keptBytes = 0, 0
	t.requests, t.violations, t.drift, t.driftSeen = nil, nil, nil, nil
}

// Requests are the calls of this generation, oldest first, redacted.
func (t *Log) Requests() []Request {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Request(nil), t.requests...)
}

// Errors are this generation's violations, as values.
func (t *Log) Errors() []Error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Error{}, t.violations...)
}

// Violations are this generation's violations, as text.
func (t *Log) Violations() []string {
	errs := t.Errors()
	out := make([]string, len(errs))
	for i := range errs {
		out[i] = errs[i].Error()
	}
	return out
}

// Drift is this generation's distinct drift findings.
func (t *Log) Drift() []Drift {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Drift{}, t.drift...)
}

// Calls counts this generation's calls.
func (t *Log) Calls() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// AllTotals counts everything since the log began; Reset keeps them.
func (t *Log) AllTotals() Totals {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.totals
}
