package contract_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

// people is listPeople's path for a cloud named demo.
const people = "/v1_1/demo/people"

func validator(t *testing.T) *contract.Validator {
	t.Helper()
	v, err := contract.NewValidator()
	require.NoError(t, err)
	return v
}

// get is a GET of target, with Basic credentials when auth is set.
func get(target string, auth bool) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if auth {
		r.SetBasicAuth("key", "secret")
	}
	return r
}

// heapInUse is the live heap after a collection, in bytes.
func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
