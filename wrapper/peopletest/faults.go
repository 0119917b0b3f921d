package peopletest

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
	"github.com/cldpeople/cloudinary-people-go/internal/rawhttp"
)

// Fault is what the server does instead of (or before) answering normally.
// An answer a Fault makes is the test's own doing: if it breaks the
// contract, the violation is recorded as injected and does not fail the
// test.
type Fault struct {
	// Status answers this status with the API's JSON error body.
	Status int
	// Message replaces the realistic default message for Status.
	Message string
	// RetryAfter is sent as a Retry-After header, in whole seconds.
	RetryAfter time.Duration
	// HTML answers an HTML page instead of JSON, as proxies in front of
	// the API do for 502, 503 and 504.
	HTML bool
	// Delay waits this long first; with no Status the call then goes on
	// normally. A client that gives up earlier ends the wait.
	Delay time.Duration
	// DropConnection closes the connection without answering.
	DropConnection bool
	// CutBody answers normally but closes the connection halfway through
	// the body, as a connection reset would.
	CutBody bool
	// Body, when set, is answered as it is, with Status (200 if unset) and
	// ContentType (application/json if unset) and no rate-limit headers:
	// a way to make the fake break the contract on purpose.
	Body        string
	ContentType string
}

// InjectFault makes the next n calls suffer f, after any faults already
// queued.
func (s *Server) InjectFault(n int, f Fault) { s.faults.add(n, f) }

// FailNext makes the next n calls answer status with the API's error body.
func (s *Server) FailNext(n, status int) {
	s.InjectFault(n, Fault{Status: status})
}

// faultQueue holds the faults for the next calls, in order.
type faultQueue struct {
	mu     sync.Mutex
	queued []queuedFault
}

type queuedFault struct {
	Fault
	left int
}

func (q *faultQueue) add(n int, f Fault) {
	if n <= 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queued = append(q.queued, queuedFault{Fault: f, left: n})
}

// next takes one use of the first queued fault, or returns nil.
func (q *faultQueue) next() *Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.queued) == 0 {
		return nil
	}
	first := &q.queued[0]
	f := first.Fault
	if first.left--; first.left == 0 {
		q.queued = q.queued[1:]
	}
	return &f
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queued = nil
}

// apply carries out f for the call r, answering into rec (or, to drop or
// cut the connection, straight onto w). headers are the rate-limit headers
// of the call. It reports whether it answered; if not, the call goes on
// normally.
func (f *Fault) apply(w http.ResponseWriter, r *http.Request, rec *rawhttp.Recorder, next http.Handler, headers http.Header) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	switch {
	case f.DropConnection:
		rec.Hijacked = true
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return true
	case f.CutBody:
		next.ServeHTTP(rec, r)
		rec.FlushCut(w)
		return true
	case f.Body != "":
		rec.Header().Set("Content-Type", cmp.Or(f.ContentType, "application/json"))
		rec.WriteHeader(cmp.Or(f.Status, http.StatusOK))
		rec.Write([]byte(f.Body))
		return true
	case f.Status == 0:
		return false
	}
	msg := cmp.Or(f.Message, fakestore.Message(f.Status), http.StatusText(f.Status))
	if f.RetryAfter > 0 {
		// Whole seconds, rounded up without overflowing near the maximum.
		secs := f.RetryAfter / time.Second
		if f.RetryAfter%time.Second != 0 {
			secs++
		}
		headers.Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	if f.HTML {
		for k, v := range headers {
			if k == "Retry-After" {
				rec.Header()[k] = v
			}
		}
		rec.Header().Set("Content-Type", "text/html; charset=utf-8")
		rec.WriteHeader(f.Status)
		fmt.Fprintf(rec, "<html><head><title>%d %s</title></head><body><h1>%[2]s</h1></body></html>\n", f.Status, msg)
		return true
	}
	writeAPIError(rec, f.Status, msg, headers)
	return true
}
