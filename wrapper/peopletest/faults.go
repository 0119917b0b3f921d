package peopletest

import (
	"bufio"
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Fault is what the server does instead of (or before) answering normally.
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

type queuedFault struct {
	Fault
	left int
}

// InjectFault makes the next n calls suffer f, after any faults already
// queued.
func (s *Server) InjectFault(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &queuedFault{Fault: f, left: n})
}

// FailNext makes the next n calls answer status with the API's error body.
func (s *Server) FailNext(n, status int) {
	s.InjectFault(n, Fault{Status: status})
}

// nextFault takes one use of the first queued fault. Callers hold s.mu.
func (s *Server) nextFault() *Fault {
	if len(s.faults) == 0 {
		return nil
	}
	q := s.faults[0]
	q.left--
	if q.left == 0 {
		s.faults = s.faults[1:]
	}
	f := q.Fault
	return &f
}

var defaultMessages = map[int]string{
	http.StatusBadRequest:          "Invalid request",
	http.StatusUnauthorized:        "Invalid credentials",
	http.StatusForbidden:           "People Search is not enabled for this customer",
	http.StatusNotFound:            "Not found",
	http.StatusConflict:            "Already exists",
	420:                            "Rate Limit Exceeded",
	http.StatusTooManyRequests:     "Rate Limit Exceeded",
	http.StatusInternalServerError: "General Error",
	http.StatusBadGateway:          "Bad Gateway",
	http.StatusServiceUnavailable:  "Service Unavailable",
	http.StatusGatewayTimeout:      "Gateway Timeout",
}

// apply carries out f. It reports whether it answered the call; if not, the
// call goes on normally.
func (f *Fault) apply(s *Server, w http.ResponseWriter, r *http.Request, rec *recorder, next http.Handler) bool {
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
		rec.hijacked = true
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return true
	case f.CutBody:
		next.ServeHTTP(rec, r)
		rec.hijacked = true
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return true
		}
		defer conn.Close()
		writeCut(buf, rec)
		return true
	case f.Body != "":
		ct := f.ContentType
		if ct == "" {
			ct = "application/json"
		}
		rec.header.Set("Content-Type", ct)
		rec.WriteHeader(cmp.Or(f.Status, http.StatusOK))
		rec.Write([]byte(f.Body))
		return true
	case f.Status == 0:
		return false
	}
	msg := f.Message
	if msg == "" {
		msg = defaultMessages[f.Status]
	}
	extra := http.Header{}
	if f.RetryAfter > 0 {
		extra.Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	if f.HTML {
		for k, v := range extra {
			rec.header[k] = v
		}
		rec.header.Set("Content-Type", "text/html; charset=utf-8")
		rec.WriteHeader(f.Status)
		fmt.Fprintf(rec, "<html><head><title>%d %s</title></head><body><h1>%[2]s</h1></body></html>\n", f.Status, msg)
		return true
	}
	s.writeError(rec, f.Status, msg, extra)
	return true
}

// writeCut sends the status line, the headers with the full length, and
// half of the body.
func writeCut(buf *bufio.ReadWriter, rec *recorder) {
	body := rec.body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rec.status, http.StatusText(rec.status))
	rec.header.Set("Content-Length", strconv.Itoa(len(body)))
	rec.header.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(body[:len(body)/2])
	buf.Flush()
}
