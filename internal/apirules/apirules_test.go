package apirules_test

import (
	"net/http"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

func TestStatuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code                   int
		rateLimited, retryable bool
	}{
		{420, true, true}, {429, true, true}, {500, false, true}, {502, false, true}, {503, false, true}, {504, false, true},
		{400, false, false}, {404, false, false}, {501, false, false}, {409, false, false},
	} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			assert.Equal(t, tc.rateLimited, apirules.RateLimited(tc.code))
			assert.Equal(t, tc.retryable, apirules.Retryable(tc.code))
		})
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method                string
		idempotent, reads     bool
		readsIfMarkedReadOnly bool
	}{
		{http.MethodGet, true, true, true},
		{http.MethodHead, true, true, true},
		{http.MethodPut, true, false, true},
		{http.MethodDelete, true, false, true},
		{http.MethodPost, false, false, true},
		{http.MethodPatch, false, false, true},
	} {
		t.Run(tc.method, func(t *testing.T) {
			assert.Equal(t, tc.idempotent, apirules.Idempotent(tc.method))
			assert.Equal(t, tc.reads, apirules.ReadOnly(tc.method, false))
			assert.Equal(t, tc.readsIfMarkedReadOnly, apirules.ReadOnly(tc.method, true))
		})
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"error":{"message":"  Invalid sort_by value "}}`: "Invalid sort_by value",
		`{"error":{}}`:            "",
		`<html>502</html>`:        "",
		`{"error":"flat string"}`: "",
		``:                        "",
	} {
		t.Run(body, func(t *testing.T) {
			assert.Equal(t, want, apirules.ErrorMessage([]byte(body)))
		})
	}
}

func TestCutKeepsWholeRunes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"ééé", 3, "é…"},
		{"日本語", 4, "日…"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got := apirules.Cut(tc.in, tc.n)
			assert.Equal(t, tc.want, got)
			assert.True(t, utf8.ValidString(got))
		})
	}
}

func TestPrintableEscapesWhatBreaksLines(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text":          "plain text",
		"two\nlines":          `two\nlines`,
		"\x1b[31mred":         `\x1b[31mred`,
		"sep\u2028arator":     `sep\u2028arator`,
		"bad \xff byte":       `bad \xff byte`,
		"a real \uFFFD stays": "a real \uFFFD stays",
	} {
		t.Run(want, func(t *testing.T) {
			assert.Equal(t, want, apirules.Printable(in))
		})
	}
}

func TestNamesCompareIgnoringCase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"ada", "Ada", 0},
		{"Ada", "alan", -1},
		{"Zoë", "zoe", 1},
		{"ÉLODIE", "élodie", 0},
		{"Al", "Alan", -1},
		{"", "a", -1},
	} {
		t.Run(tc.a+" vs "+tc.b, func(t *testing.T) {
			assert.Equal(t, tc.want, apirules.CompareNames(tc.a, tc.b))
		})
	}
	for _, tc := range []struct {
		name, prefix string
		want         bool
	}{
		{"Ada Lovelace", "ada", true},
		{"ÉLODIE", "él", true},
		{"Ada", "adam", false},
		{"Ada", "", true},
	} {
		t.Run(tc.name+" has prefix "+tc.prefix, func(t *testing.T) {
			assert.Equal(t, tc.want, apirules.HasNamePrefix(tc.name, tc.prefix))
		})
	}
}
