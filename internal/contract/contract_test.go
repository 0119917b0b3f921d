package contract_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

const people = "/v1_1/demo/people"

func validator(t *testing.T) *contract.Validator {
	t.Helper()
	v, err := contract.NewValidator()
	require.NoError(t, err)
	return v
}

func get(target string, auth bool) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if auth {
		r.SetBasicAuth("key", "secret")
	}
	return r
}

func TestRequestsAreCheckedAgainstTheSpec(t *testing.T) {
	t.Parallel()
	v := validator(t)
	tests := []struct {
		name string
		req  *http.Request
		rule string // "" when the request keeps the contract
	}{
		{"a valid list", get(people+"?max_results=5", true), ""},
		{"a page size past its bound", get(people+"?max_results=101", true), "max_results"},
		{"a value outside an enum", get(people+"?sort_by=age", true), "sort_by"},
		{"a parameter given twice", get(people+"?max_results=5&max_results=6", true), "given 2 times"},
		{"no credentials", get(people, false), "security"},
		{"no such operation", get("/v1_1/demo/faces", true), "matches no operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cerr, err := v.CheckRequest(t.Context(), tt.req)
			require.NoError(t, err)
			if tt.rule == "" {
				assert.Nil(t, cerr)
				return
			}
			require.NotNil(t, cerr)
			assert.ErrorIs(t, cerr, contract.ErrViolation)
			assert.Equal(t, contract.PhaseRequest, cerr.Phase)
			assert.Contains(t, cerr.Rule, tt.rule)
		})
	}
}

func TestAnswersAreViolationsOrDrift(t *testing.T) {
	t.Parallel()
	v := validator(t)
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name      string
		status    int
		body      string
		violation string
		drift     contract.DriftKind
	}{
		{"as specified", 200, `{"people":[]}`, "", ""},
		{"a property the spec lacks is drift", 200, `{"people":[{"id":"a","face_count":3}]}`, "", contract.DriftProperty},
		{"a status value the spec lacks is drift", 200, `{"people":[{"id":"a","status":"archived"}]}`, "", contract.DriftEnum},
		{"an undocumented status is drift", 418, `{}`, "", contract.DriftStatus},
		{"a wrong type breaks the spec", 200, `{"people":"none"}`, "people", ""},
		{"a body that is no JSON breaks the spec", 200, `{`, "decode", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, cerr, err := v.CheckRequest(t.Context(), get(people, true))
			require.NoError(t, err)
			require.Nil(t, cerr)
			bad, drift := v.CheckResponse(t.Context(), in, tt.status, json, []byte(tt.body))
			if tt.violation == "" {
				assert.Nil(t, bad)
			} else if assert.NotNil(t, bad) {
				assert.Equal(t, contract.PhaseResponse, bad.Phase)
				assert.Contains(t, bad.Rule, tt.violation)
			}
			if tt.drift == "" {
				assert.Empty(t, drift)
			} else if assert.Len(t, drift, 1) {
				assert.Equal(t, tt.drift, drift[0].Kind)
			}
		})
	}
}

func TestTheLogIsScrubbedAndResetByGeneration(t *testing.T) {
	t.Parallel()
	var log contract.Log
	scrub := redact.New("s3cret")
	r := get(people+"?api_secret=s3cret&note=s3cret", true)
	seq, gen := log.Begin(r, []byte(`{"token":"s3cret"}`), false, scrub)
	log.Answered(gen, seq, 200)
	log.Violation(gen, &contract.Error{Phase: contract.PhaseRequest, Rule: "r"})
	log.ObserveDrift(gen, []contract.Drift{{Operation: "listPeople", Where: "/x", Kind: contract.DriftProperty}}, false)

	reqs := log.Requests()
	require.Len(t, reqs, 1)
	t.Run("no credential is kept", func(t *testing.T) {
		rec := reqs[0].Redacted()
		assert.NotContains(t, rec.Body+strings.Join(rec.Query["note"], "")+strings.Join(rec.Header["Authorization"], ""), "s3cret")
		assert.Equal(t, []string{"Basic [redacted]"}, rec.Header["Authorization"])
		assert.Equal(t, 200, rec.Status)
	})
	t.Run("a reset empties the lists and keeps the totals", func(t *testing.T) {
		log.Reset()
		log.Violation(gen, &contract.Error{Rule: "late"}) // a call of the old generation
		assert.Empty(t, log.Requests())
		assert.Empty(t, log.Errors())
		assert.Empty(t, log.Drift())
		assert.Equal(t, contract.Totals{Calls: 1, Violations: 2, Drift: 1}, log.AllTotals())
	})
}

func TestAFindingIsOneHoweverOftenItComes(t *testing.T) {
	t.Parallel()
	var seen contract.FindingSet
	d := contract.Drift{Operation: "listPeople", Where: "/people/0/face_count", Kind: contract.DriftProperty}
	again := d
	again.Where = "/people/7/face_count"
	assert.True(t, seen.AddDrift(d))
	assert.False(t, seen.AddDrift(again), "array indices are folded")
	assert.True(t, seen.AddDrift(contract.Drift{Operation: "getPerson", Where: d.Where, Kind: d.Kind}))
}

func TestOverlayAddsWhatDriftSaw(t *testing.T) {
	t.Parallel()
	doc, err := contract.Overlay([]contract.Drift{
		{Operation: "listPeople", Status: 200, Where: "/people/0/face_count", Kind: contract.DriftProperty, Value: "3",
			Schema: map[string]any{"type": "integer"}},
	})
	require.NoError(t, err)
	assert.Contains(t, string(doc), "overlay: 1.0.0")
	assert.Contains(t, string(doc), "face_count")
	assert.Contains(t, string(doc), "type: integer")
}

func TestDriftTotalsCountPastTheirExactBound(t *testing.T) {
	t.Parallel()
	var log contract.Log
	_, gen := log.Begin(get(people, true), nil, false, redact.New())
	batch := func(from int) []contract.Drift {
		out := make([]contract.Drift, 0, 1001)
		for i := range 1000 {
			out = append(out, contract.Drift{Operation: "listPeople", Status: 200, Where: "/x" + strconv.Itoa(from+i), Kind: contract.DriftProperty})
		}
		return append(out, contract.Drift{Operation: "listPeople", Status: 200, Where: "/end", Kind: contract.DriftProperty})
	}
	for n := range 101 {
		log.ObserveDrift(gen, batch(n*1000), false)
	}
	require.Equal(t, 101*1000+1, log.AllTotals().Drift, "every distinct finding, /end once")
	assert.Empty(t, log.ObserveDrift(gen, batch(100*1000), false), "findings past the bound are not new again")
	assert.Equal(t, 101*1000+1, log.AllTotals().Drift)
	assert.Len(t, log.Drift(), 1000, "the list stays bounded")
}

func TestTheLogKeepsTheFirstThousandViolations(t *testing.T) {
	t.Parallel()
	var log contract.Log
	long := "/nowhere/" + strings.Repeat("p", 2000)
	for range 1100 {
		_, gen := log.Begin(get(long, false), nil, false, redact.New())
		log.Violation(gen, &contract.Error{Phase: contract.PhaseRequest, Path: long, Rule: "path matches no operation"})
	}
	errs := log.Errors()
	assert.Len(t, errs, 1000)
	assert.LessOrEqual(t, len(errs[0].Path), 1024+len("…"), "a path a client chose is cut")
	assert.Equal(t, 1100, log.AllTotals().Violations)
	assert.Equal(t, 1100, log.Calls())
}

// Not parallel: it measures the whole process's heap.
func TestDriftMemoryIsBoundedByBytesNotOnlyByCount(t *testing.T) {
	v := validator(t)
	var log contract.Log
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	json := http.Header{"Content-Type": {"application/json"}}
	before := heap()
	for i := range 64 {
		in, _, err := v.CheckRequest(t.Context(), get(people, true))
		require.NoError(t, err)
		name := strconv.Itoa(i) + strings.Repeat("p", 128<<10)
		_, drift := v.CheckResponse(t.Context(), in, 200, json, []byte(`{"people":[],"`+name+`":1}`))
		require.Len(t, drift, 1)
		log.ObserveDrift(0, drift, false)
	}
	grown := int64(heap()) - int64(before)
	assert.Less(t, grown, int64(4<<20), "64 findings of 128 KiB names keep %d bytes", grown)
	assert.Equal(t, 64, log.AllTotals().Drift)
	for _, d := range log.Drift() {
		assert.LessOrEqual(t, len(d.Where), 600)
	}
}
