package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

func TestOverlayAddsWhatDriftSaw(t *testing.T) {
	t.Parallel()
	doc, err := contract.Overlay([]contract.Drift{
		{Operation: "listPeople", Status: 200, Where: "/people/0/zz_undeclared_probe", Kind: contract.DriftProperty, Value: "3",
			Schema: map[string]any{"type": "integer"}},
	})
	require.NoError(t, err)
	assert.Contains(t, string(doc), "overlay: 1.0.0")
	assert.Contains(t, string(doc), "zz_undeclared_probe")
	assert.Contains(t, string(doc), "type: integer")
}

// overlayOf is the overlay of the drift a log kept of answers to
// listPeople, as the proxy and peoplemock make it.
func overlayOf(t *testing.T, answers ...string) string {
	v := validator(t)
	var log contract.Log
	for _, body := range answers {
		r := get(people, true)
		_, gen := log.Begin(r, nil, false, redact.New())
		in, cerr, err := v.CheckRequest(t.Context(), r)
		require.NoError(t, err)
		require.Nil(t, cerr)
		_, drift := v.CheckResponse(t.Context(), in, 200, http.Header{"Content-Type": {"application/json"}}, []byte(body))
		log.ObserveDrift(gen, drift, false)
	}
	doc, err := contract.Overlay(log.Drift())
	require.NoError(t, err)
	return string(doc)
}

// probe is a property openapi.yaml will never declare.
func probe(value string) string { return `{"people":[],"zz_undeclared_probe":` + value + `}` }

func TestOverlayInfersAPropertyFromEveryValueSeen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		answers  []string
		want     []string
		notAdded bool
	}{
		{"an integer, then null: a nullable integer", []string{probe("7"), probe("null")}, []string{"type: integer", "nullable: true"}, false},
		{"null, then an integer: the same", []string{probe("null"), probe("7")}, []string{"type: integer", "nullable: true"}, false},
		{"an integer, then a number: a number", []string{probe("3"), probe("2.5")}, []string{"type: number"}, false},
		{"objects join their properties", []string{probe(`{"a":1}`), probe(`{"b":"x"}`)}, []string{"a:", "b:"}, false},
		{"an integer, then a string: reported, not guessed", []string{probe("3"), probe(`"many"`)}, []string{"conflicting types", "integer, string"}, true},
		{"within one page too", []string{`{"people":[{"id":"a","zz_undeclared_probe":3},{"id":"b","zz_undeclared_probe":"many"}]}`}, []string{"conflicting types"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := overlayOf(t, tt.answers...)
			for _, w := range tt.want {
				assert.Contains(t, doc, w)
			}
			if tt.notAdded {
				assert.Contains(t, doc, "actions: []", "nothing adopted:\n%s", doc)
			}
		})
	}
}

func TestOverlayNeverAddsANameCutShort(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("n", 600)
	doc := overlayOf(t, `{"people":[],"`+long+`":1}`)
	assert.Contains(t, doc, "actions: []", doc)
	assert.Contains(t, doc, "too long to keep")
}
