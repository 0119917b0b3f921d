package contract_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

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
		{"a property the spec lacks is drift", 200, `{"people":[{"id":"a","zz_undeclared_probe":3}]}`, "", contract.DriftProperty},
		{"a status value the spec lacks is drift", 200, `{"people":[{"id":"a","status":"zz_unknown_status"}]}`, "", contract.DriftEnum},
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
