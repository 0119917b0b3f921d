package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// newLogger logs one line per event to w, as text or JSON lines. Each
// record carries an "event" attribute (info, violation, drift, summary)
// for programs that read the JSON.
func newLogger(w io.Writer, json bool) *slog.Logger {
	opts := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		// Rules and paths come from the traffic: keep each record on one line.
		if a.Value.Kind() == slog.KindString {
			a.Value = slog.StringValue(strings.NewReplacer("\n", " ", "\r", " ").Replace(a.Value.String()))
		}
		return a
	}}
	if json {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func violationLogger(log *slog.Logger) func(*peopletest.ContractError) {
	return func(e *peopletest.ContractError) {
		log.Warn(strings.TrimPrefix(e.Error(), "peopletest: "), "event", "violation",
			"phase", e.Phase, "method", e.Method, "path", e.Path, "operation", e.Operation, "status", e.Status, "rule", e.Rule, "injected", e.Injected)
	}
}

func driftLogger(log *slog.Logger) func(peopletest.Drift) {
	return func(d peopletest.Drift) {
		log.Info(d.String()+"; add it to openapi.yaml, then make generate and make test", "event", "drift",
			"operation", d.Operation, "status", d.Status, "where", d.Where, "kind", d.Kind, "value", d.Value)
	}
}
