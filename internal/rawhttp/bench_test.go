package rawhttp_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cldpeople/cloudinary-people-go/internal/rawhttp"
)

// The fake holds each answer before it is checked and sent. The standard
// library's recorder does the holding too, but cannot write what the fake
// must (a "420 Enhance Your Calm" status line, a body cut short): these
// say what keeping our own costs, on a page of 100 people (about 60 KB).
func BenchmarkRecordAPage(b *testing.B) {
	page := bytes.Repeat([]byte(`{"id":"2f1b4c6d8e0a1c3e5f7a9b1d3f5a7c9e2b4d6f8a0c2e4a6c8e0b2d4f6a8c0e2f","name":"Jane Doe"},`), 600)
	answer := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(page)
	}
	b.Run("rawhttp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := rawhttp.NewRecorder()
			answer(rec)
			rec.Flush(httptest.NewRecorder())
		}
	})
	b.Run("httptest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			answer(rec)
			out := httptest.NewRecorder()
			for k, v := range rec.Header() {
				out.Header()[k] = v
			}
			out.WriteHeader(rec.Code)
			out.Write(rec.Body.Bytes())
		}
	})
}
