package peopletest

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Bounds on what a Server or Proxy keeps, so that a long run cannot grow
// without end; the totals go on counting past them.
const (
	maxRecorded         = 10000    // requests kept, the oldest first
	maxRecordedBody     = 64 << 10 // bytes kept of one request body
	maxRecordedBodies   = 32 << 20 // bytes of bodies kept in all
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
	// 64 KiB, or any body once 32 MiB of bodies are kept.
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

// traffic is the log a Server and a Proxy keep: the calls, the contract
// violations and the drift. Reset starts a new generation; a call that
// began in an older one adds nothing to the new lists.
type traffic struct {
	mu         sync.Mutex
	gen        uint64
	count      int // calls in this generation
	requests   []Request
	bodyBytes  int
	violations []ContractError
	drift      []Drift
	driftSeen  map[string]bool
	totals     Totals
	driftAll   map[string]bool // every distinct finding since start (at most 100,000), for Totals
}

// begin counts and records a call; the generation it returns goes with
// the call's findings.
func (t *traffic) begin(r *http.Request, body []byte, bodyTruncated bool) (seq int, gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.count++
	t.totals.Calls++
	if len(t.requests) < maxRecorded {
		kept := body
		if len(kept) > maxRecordedBody || t.bodyBytes+len(kept) > maxRecordedBodies {
			kept, bodyTruncated = kept[:min(len(kept), maxRecordedBody, max(maxRecordedBodies-t.bodyBytes, 0))], true
		}
		t.bodyBytes += len(kept)
		// Recorded redacted: the log never holds a credential.
		req := Request{
			Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header,
			Body: kept, BodyTruncated: bodyTruncated, Time: time.Now(), Seq: t.count,
		}
		t.requests = append(t.requests, req.redacted())
	}
	return t.count, t.gen
}

// answered records the status call seq of generation gen was answered
// with, when that call is still in the log.
func (t *traffic) answered(gen uint64, seq, status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen == t.gen && seq >= 1 && seq <= len(t.requests) {
		t.requests[seq-1].Status = status
	}
}

// violation counts e and keeps it, unless its call began before a reset.
func (t *traffic) violation(gen uint64, e *ContractError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.totals.Violations++
	if e.Injected {
		t.totals.Injected++
	}
	if gen == t.gen && len(t.violations) < maxFindings {
		c := *e
		c.Path, c.Rule = cut(c.Path, maxFindingTextBytes), cut(c.Rule, maxFindingTextBytes)
		t.violations = append(t.violations, c)
	}
}

// observeDrift keeps the findings not seen before and returns them: each
// operation, location and kind is one finding however often it comes.
func (t *traffic) observeDrift(gen uint64, found []Drift, injected bool) []Drift {
	if len(found) == 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var fresh []Drift
	for _, d := range found {
		key := d.key()
		if !t.driftAll[key] && len(t.driftAll) < 100*maxFindings {
			if t.driftAll == nil {
				t.driftAll = map[string]bool{}
			}
			t.driftAll[key] = true
			t.totals.Drift++
			if injected {
				t.totals.InjectedDrift++
			}
		}
		if gen != t.gen || t.driftSeen[key] || len(t.drift) >= maxFindings {
			continue
		}
		if t.driftSeen == nil {
			t.driftSeen = map[string]bool{}
		}
		t.driftSeen[key] = true
		t.drift = append(t.drift, d)
		fresh = append(fresh, d)
	}
	return fresh
}

func (t *traffic) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gen++
	t.count, t.bodyBytes = 0, 0
	t.requests, t.violations, t.drift, t.driftSeen = nil, nil, nil, nil
}

func (t *traffic) snapshot() (requests []Request, violations []ContractError, drift []Drift) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Request(nil), t.requests...), append([]ContractError{}, t.violations...), append([]Drift{}, t.drift...)
}

func (t *traffic) calls() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

func (t *traffic) allTotals() Totals {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.totals
}

// cut shortens s to at most n bytes, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// oneLine makes s safe for a log line or a header value: control
// characters become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
