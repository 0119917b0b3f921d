package peopletest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// controlPrefix is where the control API lives, outside the People API's
// /v1_1/ paths.
const controlPrefix = "/_peoplemock/"

// FaultRequest is the JSON body of POST /_peoplemock/faults: a [Fault] and
// how many calls it applies to. Keys may be snake_case ("retry_after") or
// Fault's own field names ("RetryAfter"), so that a Go test can send a
// marshalled Fault. Durations are Go durations ("1.5s"), or numbers: seconds
// under a snake_case key, nanoseconds (time.Duration's JSON) under a field
// name.
type FaultRequest struct {
	Count          int           `json:"count"` // default 1
	Status         int           `json:"status,omitempty"`
	Message        string        `json:"message,omitempty"`
	RetryAfter     time.Duration `json:"retry_after,omitempty"`
	HTML           bool          `json:"html,omitempty"`
	Delay          time.Duration `json:"delay,omitempty"`
	DropConnection bool          `json:"drop_connection,omitempty"`
	CutBody        bool          `json:"cut_body,omitempty"`
	ContentType    string        `json:"content_type,omitempty"`
	Body           string        `json:"body,omitempty"`
}

// UnmarshalJSON accepts both spellings of each key and rejects unknown ones,
// so that a typo is an error rather than a fault that silently does nothing.
func (f *FaultRequest) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for key, value := range raw {
		norm := strings.ToLower(strings.ReplaceAll(key, "_", ""))
		var err error
		switch norm {
		case "count":
			err = json.Unmarshal(value, &f.Count)
		case "status":
			err = json.Unmarshal(value, &f.Status)
		case "message":
			err = json.Unmarshal(value, &f.Message)
		case "html":
			err = json.Unmarshal(value, &f.HTML)
		case "dropconnection":
			err = json.Unmarshal(value, &f.DropConnection)
		case "cutbody":
			err = json.Unmarshal(value, &f.CutBody)
		case "contenttype":
			err = json.Unmarshal(value, &f.ContentType)
		case "body":
			err = json.Unmarshal(value, &f.Body)
		case "retryafter":
			f.RetryAfter, err = parseDuration(value, key == "RetryAfter")
		case "delay":
			f.Delay, err = parseDuration(value, key == "Delay")
		default:
			return fmt.Errorf("unknown key %q; want count, status, message, retry_after, html, delay, drop_connection, cut_body, content_type or body", key)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return nil
}

// parseDuration reads "1.5s", or a number: nanoseconds when it came from a
// marshalled time.Duration, else seconds.
func parseDuration(value json.RawMessage, nanos bool) (time.Duration, error) {
	var v any
	if err := json.Unmarshal(value, &v); err != nil {
		return 0, err
	}
	switch v := v.(type) {
	case float64:
		if nanos {
			return time.Duration(v), nil
		}
		return time.Duration(v * float64(time.Second)), nil
	case string:
		return time.ParseDuration(v)
	}
	return 0, fmt.Errorf("want a duration such as \"1.5s\" or a number of seconds, got %s", value)
}

// RecordedRequest is a received call as the control API shows it: the
// Authorization header is reduced to its scheme, so that credentials never
// leave the mock.
type RecordedRequest struct {
	Seq    int                 `json:"seq"`
	Time   time.Time           `json:"time"`
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Query  map[string][]string `json:"query,omitempty"`
	Header map[string][]string `json:"header,omitempty"`
	Body   string              `json:"body,omitempty"`
}

// Redacted returns r as the control API shows it.
func (r Request) Redacted() RecordedRequest {
	h := r.Header.Clone()
	redactCredentials(h)
	return RecordedRequest{Seq: r.Seq, Time: r.Time, Method: r.Method, Path: r.Path, Query: r.Query, Header: h, Body: string(r.Body)}
}

// redactCredentials keeps only the scheme of the Authorization header.
func redactCredentials(h http.Header) {
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		if v := h.Get(name); v != "" {
			scheme, _, _ := strings.Cut(v, " ")
			h.Set(name, scheme+" [redacted]")
		}
	}
}

// ControlHandler serves the control API, for tests written in any language:
//
//	POST /_peoplemock/faults      queue a fault: a FaultRequest as JSON
//	GET  /_peoplemock/requests    the recorded requests, oldest first
//	GET  /_peoplemock/violations  the contract violations seen
//	POST /_peoplemock/reset       restore the starting data (see Reset)
//
// It answers JSON; its own calls are neither counted nor validated.
func (s *Server) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+controlPrefix+"faults", func(w http.ResponseWriter, r *http.Request) {
		var fr FaultRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&fr); err != nil {
			writeControl(w, http.StatusBadRequest, map[string]string{"error": "fault: " + err.Error()})
			return
		}
		n := fr.Count
		if n == 0 {
			n = 1
		}
		if n < 0 || fr.Status != 0 && (fr.Status < 100 || fr.Status > 599) {
			writeControl(w, http.StatusBadRequest, map[string]string{"error": "fault: count must be positive and status 100..599"})
			return
		}
		s.InjectFault(n, Fault{
			Status: fr.Status, Message: fr.Message, RetryAfter: fr.RetryAfter, HTML: fr.HTML,
			Delay: fr.Delay, DropConnection: fr.DropConnection, CutBody: fr.CutBody,
			ContentType: fr.ContentType, Body: fr.Body,
		})
		writeControl(w, http.StatusCreated, map[string]any{"queued": n})
	})
	mux.HandleFunc("GET "+controlPrefix+"requests", func(w http.ResponseWriter, r *http.Request) {
		reqs := s.Requests()
		out := make([]RecordedRequest, len(reqs))
		for i, req := range reqs {
			out[i] = req.Redacted()
		}
		writeControl(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET "+controlPrefix+"violations", func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusOK, s.ContractErrors())
	})
	mux.HandleFunc("POST "+controlPrefix+"reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		writeControl(w, http.StatusOK, map[string]any{"reset": true, "people": len(s.seed)})
	})
	mux.HandleFunc(controlPrefix, func(w http.ResponseWriter, r *http.Request) {
		writeControl(w, http.StatusNotFound, map[string]string{
			"error": "unknown control call " + r.Method + " " + r.URL.Path + "; see POST faults, GET requests, GET violations, POST reset",
		})
	})
	return mux
}

// ContractErrors returns the violations seen so far, as values.
func (s *Server) ContractErrors() []ContractError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ContractError{}, s.contractErrors...)
}

func writeControl(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
