package contract_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

// Not parallel: it measures the whole process's heap.
func TestDriftMemoryIsBoundedByBytesNotOnlyByCount(t *testing.T) {
	v := validator(t)
	var log contract.Log
	json := http.Header{"Content-Type": {"application/json"}}
	before := heapInUse()
	for i := range 64 {
		in, _, err := v.CheckRequest(t.Context(), get(people, true))
		require.NoError(t, err)
		name := strconv.Itoa(i) + strings.Repeat("p", 128<<10)
		_, drift := v.CheckResponse(t.Context(), in, 200, json, []byte(`{"people":[],"`+name+`":1}`))
		require.Len(t, drift, 1)
		log.ObserveDrift(0, drift, false)
	}
	grown := int64(heapInUse()) - int64(before)
	assert.Less(t, grown, int64(4<<20), "64 findings of 128 KiB names keep %d bytes", grown)
	assert.Equal(t, 64, log.AllTotals().Drift)
	for _, d := range log.Drift() {
		assert.LessOrEqual(t, len(d.Where), 600)
	}
}
