package peopletest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

// controlPrefix is where the control API lives, outside the People API's
// /v1_1/ paths.
const controlPrefix = "/_peoplemock/"

// Bounds of a fault asked for through the control API.
const (
	maxFaultCount      = 1_000_000
	maxFaultDelay      = 10 * time.Minute
	maxFaultRetryAfter = 24 * time.Hour
)

// FaultRequest is the JSON body of POST /_peoplemock/faults: a [Fault] and
// how many calls it applies to. Keys are snake_case ("retry_after"), or
// Fault's own field names ("RetryAfter"), either case. Durations are Go
// durations ("1.5s") or numbers of seconds, whatever the key's spelling; a
// marshalled FaultRequest writes them as Go durations, so a Go test can
// send one as it is.
type FaultRequest struct {
	Count int // default 1
	Fault
}

// faultKeys maps each key, lower-cased without underscores, to where its
// value goes.
var faultKeys = map[string]func(*FaultRequest) any{
	"count":          func(f *FaultRequest) any { return &f.Count },
	"status":         func(f *FaultRequest) any { return &f.Status },
	"message":        func(f *FaultRequest) any { return &f.Message },
	"html":           func(f *FaultRequest) any { return &f.HTML },
	"dropconnection": func(f *FaultRequest) any { return &f.DropConnection },
	"cutbody":        func(f *FaultRequest) any { return &f.CutBody },
	"contenttype":    func(f *FaultRequest) any { return &f.ContentType },
	"body":           func(f *FaultRequest) any { return &f.Body },
	"retryafter":     func(f *FaultRequest) any { return &f.RetryAfter },
	"delay":          func(f *FaultRequest) any { return &f.Delay },
}

// UnmarshalJSON reads one JSON object, accepting both spellings of each
// key. An unknown key, a key given twice (in either spelling) or anything
// but an object is an error, so that a typo never becomes a fault that
// silently does nothing.
func (f *FaultRequest) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return errors.New("want a JSON object such as {\"status\":503}")
	}
	// Token by token, not into a map: a map would keep the last of two
	// equal keys and hide the first.
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return plainJSONError(err)
	}
	seen := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return plainJSONError(err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return plainJSONError(err)
		}
		norm := strings.ToLower(strings.ReplaceAll(key, "_", ""))
		field, ok := faultKeys[norm]
		if !ok {
			return fmt.Errorf("unknown key %q; want count, status, message, retry_after, html, delay, drop_connection, cut_body, content_type or body", key)
		}
		if other, dup := seen[norm]; dup {
			if other == key {
				return fmt.Errorf("key %q is given twice; give it once", key)
			}
			return fmt.Errorf("keys %q and %q say the same thing; give one", other, key)
		}
		seen[norm] = key
		if d, isDuration := field(f).(*time.Duration); isDuration {
			*d, err = parseDuration(value)
		} else {
			err = json.Unmarshal(value, field(f))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, plainJSONError(err))
		}
	}
	return nil
}

// plainJSONError says what encoding/json found wrong in words for a
// person writing JSON by hand, not in Go's types.
func plainJSONError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		want := map[string]string{"int": "a whole number", "string": "a string", "bool": "true or false"}[typ.Type.Kind().String()]
		if want == "" {
			want = "another kind of value"
		}
		return fmt.Errorf("want %s, got a JSON %s", want, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("the JSON ends too soon")
	}
	return err
}

// check refuses a fault that does nothing or cannot be answered.
func (f *FaultRequest) check() error {
	switch {
	case f.Count < 0 || f.Count > maxFaultCount:
		return fmt.Errorf("count must be 1..%d (0 or absent means 1)", maxFaultCount)
	case f.Status != 0 && (f.Status < 200 || f.Status > 599):
		return errors.New("status must be 200..599: a 1xx is not a final answer")
	case f.RetryAfter < 0 || f.RetryAfter > maxFaultRetryAfter:
		return fmt.Errorf("retry_after must be 0..%v", maxFaultRetryAfter)
	case f.Delay < 0 || f.Delay > maxFaultDelay:
		return fmt.Errorf("delay must be 0..%v", maxFaultDelay)
	case f.DropConnection && (f.CutBody || f.Status != 0 || f.Body != ""):
		return errors.New("drop_connection answers nothing: give it alone (with delay, if wanted)")
	case f.CutBody && (f.Status != 0 || f.Body != "" || f.HTML):
		return errors.New("cut_body cuts the normal answer: give it without status, body or html")
	case f.Body != "" && (f.HTML || f.Message != "" || f.RetryAfter != 0):
		return errors.New("body is answered as it is: give it with status and content_type only")
	case f.Body == "" && f.ContentType != "":
		return errors.New("content_type goes with body")
	case f.Status == 0 && f.Body == "" && (f.HTML || f.Message != "" || f.RetryAfter != 0):
		return errors.New("html, message and retry_after need a status")
	case f.Status == 0 && f.Body == "" && f.Delay == 0 && !f.DropConnection && !f.CutBody:
		return errors.New("this fault does nothing: set status, body, delay, drop_connection or cut_body")
	}
	return nil
}

// MarshalJSON writes f with snake_case keys and durations as Go
// durations ("1.5s"), the form the control API reads.
func (f FaultRequest) MarshalJSON() ([]byte, error) {
	m := f.Fault.fields()
	if f.Count != 0 {
		m["count"] = f.Count
	}
	return json.Marshal(m)
}

// MarshalJSON writes f as the control API reads it: snake_case keys,
// durations as Go durations ("1.5s").
func (f Fault) MarshalJSON() ([]byte, error) { return json.Marshal(f.fields()) }

func (f Fault) fields() map[string]any {
	m := map[string]any{}
	set := func(key string, v any, given bool) {
		if given {
			m[key] = v
		}
	}
	set("status", f.Status, f.Status != 0)
	set("message", f.Message, f.Message != "")
	set("retry_after", f.RetryAfter.String(), f.RetryAfter != 0)
	set("html", f.HTML, f.HTML)
	set("delay", f.Delay.String(), f.Delay != 0)
	set("drop_connection", f.DropConnection, f.DropConnection)
	set("cut_body", f.CutBody, f.CutBody)
	set("body", f.Body, f.Body != "")
	set("content_type", f.ContentType, f.ContentType != "")
	return m
}

// parseDuration reads "1.5s", or a number of seconds.
func parseDuration(value json.RawMessage) (time.Duration, error) {
	var v any
	if err := json.Unmarshal(value, &v); err != nil {
		return 0, err
	}
	switch v := v.(type) {
	case float64:
		v *= float64(time.Second)
		if math.IsNaN(v) || math.Abs(v) >= math.MaxInt64 {
			return 0, fmt.Errorf("%s is out of range", value)
		}
		return time.Duration(v), nil
	case string:
		return time.ParseDuration(v)
	}
	return 0, fmt.Errorf("want a duration such as \"1.5s\" or a number of seconds, got %s", value)
}

// ControlHandler serves the control API, for tests written in any language:
//
//	POST /_peoplemock/faults      queue a fault: a FaultRequest as JSON
//	GET  /_peoplemock/requests    the recorded requests, oldest first, credentials redacted
//	GET  /_peoplemock/violations  the contract violations seen
//	GET  /_peoplemock/drift       the drift findings seen
//	GET  /_peoplemock/drift/overlay  an OpenAPI Overlay that adds them to openapi.yaml
//	POST /_peoplemock/reset       restore the starting data (see Reset)
//
// It answers JSON; its own calls are neither counted nor validated.
func (s *Server) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+controlPrefix+"faults", func(w http.ResponseWriter, r *http.Request) {
		fr, err := readFaultRequest(w, r)
		if err != nil {
			writeControl(w, http.StatusBadRequest, map[string]string{"error": "fault: " + err.Error()})
			return
		}
		n := max(fr.Count, 1)
		s.InjectFault(n, fr.Fault)
		writeControl(w, http.StatusCreated, map[string]any{"queued": n})
	})
	serveLog(mux, &s.log)
	mux.HandleFunc("POST "+controlPrefix+"reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		writeControl(w, http.StatusOK, map[string]any{"reset": true, "people": s.store.Len()})
	})
	mux.HandleFunc(controlPrefix, func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusNotFound, map[string]string{
			"error": "unknown control call " + r.Method + " " + apirules.Cut(apirules.Printable(r.URL.Path), 200) + "; see POST faults, GET requests, GET violations, GET drift, GET drift/overlay, POST reset",
		})
	})
	return mux
}

// serveLog adds the read-only control calls over a traffic log, shared by
// the fake and the proxy.
func serveLog(mux *http.ServeMux, log *contract.Log) {
	mux.HandleFunc("GET "+controlPrefix+"requests", func(w http.ResponseWriter, r *http.Request) {
		reqs := log.Requests()
		out := make([]RecordedRequest, len(reqs))
		for i, req := range reqs {
			out[i] = req.Redacted()
		}
		writeControl(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET "+controlPrefix+"violations", func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusOK, log.Errors())
	})
	mux.HandleFunc("GET "+controlPrefix+"drift", func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusOK, log.Drift())
	})
	mux.HandleFunc("GET "+controlPrefix+"drift/overlay", func(w http.ResponseWriter, r *http.Request) {
		doc, err := DriftOverlay(log.Drift())
		if err != nil {
			writeControl(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(doc)
	})
}

// readFaultRequest reads exactly one JSON object and checks it.
func readFaultRequest(w http.ResponseWriter, r *http.Request) (FaultRequest, error) {
	var fr FaultRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&fr); err != nil {
		return fr, plainJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fr, errors.New("text after the JSON object")
	}
	return fr, fr.check()
}

func writeControl(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
