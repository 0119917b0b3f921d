package contract_test

import (
	"fmt"
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
	d := contract.Drift{Operation: "listPeople", Where: "/people/0/zz_undeclared_probe", Kind: contract.DriftProperty}
	again := d
	again.Where = "/people/7/zz_undeclared_probe"
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

func TestTheLogScrubsBeforeItCuts(t *testing.T) {
	t.Parallel()
	const secret = "straddling-SECRET-0123456789"
	scrub := redact.New(secret)
	var log contract.Log
	// Each secret starts a few bytes before the bound that cuts its part.
	path := people + "/" + strings.Repeat("p", 2<<10-len(people)-5) + secret
	value := strings.Repeat("v", 1<<10-5) + secret
	body := strings.Repeat("b", 64<<10-5) + secret
	r := get(path+"?note="+value, false)
	r.Header.Set("X-Note", value)
	log.Begin(r, []byte(body), false, scrub)

	rec := log.Requests()[0]
	kept := rec.Path + rec.Query.Get("note") + rec.Header.Get("X-Note") + string(rec.Body)
	require.Contains(t, kept, "…", "each part was cut")
	assert.NotContains(t, kept, secret[:5], "no piece of the secret is left at a cut")
}

func TestTheLogIsBoundedInBytes(t *testing.T) {
	// A 128 KiB query on each of 600 calls: a log that kept pieces of
	// the request lines would keep all of them alive.
	var log contract.Log
	before := heapInUse()
	for i := range 600 {
		q := fmt.Sprintf("note=%d%s&other=%s", i, strings.Repeat("q", 64<<10), strings.Repeat("r", 64<<10))
		log.Begin(get(people+"?"+q, true), nil, false, redact.New())
	}
	grown := heapInUse() - before
	require.Len(t, log.Requests(), 600)
	assert.Less(t, grown, int64(64<<20), "the log holds %d MB", grown>>20)
}
