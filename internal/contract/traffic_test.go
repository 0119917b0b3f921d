package contract_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

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
