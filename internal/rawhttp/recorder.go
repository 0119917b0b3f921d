// Package rawhttp holds an answer until it has been checked, and writes
// answers net/http will not: a status line with a phrase it lacks ("420
// Enhance Your Calm"), or a body cut short of its Content-Length. The fake
// People API answers through it, so that what it sends can be judged, and
// broken on purpose, before anything reaches the wire.
package rawhttp

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// Recorder is an http.ResponseWriter that keeps the answer. Status is 200
// until a handler says otherwise; Hijacked marks an answer that went out
// (or was dropped) on the connection itself, with nothing left to flush.
type Recorder struct {
	Status   int
	Hijacked bool
	header   http.Header
	body     bytes.Buffer
	wrote    bool
}

// NewRecorder returns an empty answer of status 200.
func NewRecorder() *Recorder { return &Recorder{Status: http.StatusOK, header: http.Header{}} }

func (r *Recorder) Header() http.Header { return r.header }

func (r *Recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

func (r *Recorder) WriteHeader(code int) {
	if !r.wrote {
		r.Status, r.wrote = code, true
	}
}

// Body is the answer's body so far.
func (r *Recorder) Body() []byte { return r.body.Bytes() }

// Flush sends the answer to w, on the connection itself when its status
// has a phrase net/http lacks.
func (r *Recorder) Flush(w http.ResponseWriter) {
	if reasonPhrases[r.Status] != "" && r.writeRaw(w) {
		return
	}
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.Status)
	w.Write(r.body.Bytes())
}

// FlushCut sends the status line, the headers with the full length, and
// half of the body, then closes the connection: an answer cut short.
func (r *Recorder) FlushCut(w http.ResponseWriter) {
	r.Hijacked = true
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString(statusLine(r.Status))
	r.header.Set("Content-Length", strconv.Itoa(r.body.Len()))
	r.header.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(r.body.Bytes()[:r.body.Len()/2])
	buf.Flush()
}

// reasonPhrases are the phrases of statuses net/http has none for: it
// would send "HTTP/1.1 420 status code 420".
var reasonPhrases = map[int]string{apirules.StatusEnhanceYourCalm: "Enhance Your Calm"}

func statusLine(code int) string {
	return fmt.Sprintf("HTTP/1.1 %d %s\r\n", code, cmp.Or(reasonPhrases[code], http.StatusText(code)))
}

// writeRaw sends the answer on the connection itself, with its reason
// phrase, and closes the connection, which net/http no longer manages.
// It reports false, having sent nothing, where the connection cannot be
// taken over (HTTP/2, a test's recorder).
func (r *Recorder) writeRaw(w http.ResponseWriter) bool {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	h := r.header.Clone()
	h.Set("Content-Length", strconv.Itoa(r.body.Len()))
	h.Set("Connection", "close")
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	buf.WriteString(statusLine(r.Status))
	h.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(r.body.Bytes())
	buf.Flush()
	return true
}
