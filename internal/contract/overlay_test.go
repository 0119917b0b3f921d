package contract_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

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
