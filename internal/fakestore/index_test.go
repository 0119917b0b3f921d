package fakestore

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The index must agree with a plain sorted slice through any mix of
// inserts and removals, across block splits and emptied blocks.
func TestIndexAgreesWithASortedSlice(t *testing.T) {
	keys := make([]int, 5000)
	for i := range keys {
		keys[i] = rand.IntN(700) // ties, so the ID breaks them
	}
	compare := func(a, b int32) int {
		return cmp.Or(cmp.Compare(keys[a], keys[b]), cmp.Compare(a, b))
	}
	var in []int32
	for e := range int32(2000) {
		in = append(in, e)
	}
	slices.SortFunc(in, compare)
	x := newIndex(slices.Clone(in), compare)
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 6000 {
		if rng.IntN(2) == 0 && len(in) > 0 {
			i := rng.IntN(len(in))
			require.True(t, x.remove(in[i]), "step %d", step)
			in = slices.Delete(in, i, i+1)
		} else {
			e := int32(2000 + step%3000)
			if _, found := slices.BinarySearchFunc(in, e, compare); found {
				continue
			}
			x.insert(e)
			i, _ := slices.BinarySearchFunc(in, e, compare)
			in = slices.Insert(in, i, e)
		}
	}
	assert.Equal(t, in, x.all())
	t.Run("search finds the first entry past a key", func(t *testing.T) {
		for _, k := range []int{-1, 0, 350, 699, 700} {
			p := x.search(func(e int32) bool { return keys[e] >= k })
			want := slices.IndexFunc(in, func(e int32) bool { return keys[e] >= k })
			if want < 0 {
				assert.False(t, x.valid(p), "key %d", k)
				continue
			}
			require.True(t, x.valid(p), "key %d", k)
			assert.Equal(t, in[want], x.at(p), "key %d", k)
		}
	})
	t.Run("removing an entry not held says so", func(t *testing.T) {
		for e := range int32(len(keys)) {
			if !slices.Contains(in, e) {
				assert.False(t, x.remove(e))
				return
			}
		}
		t.Fatal("every entry is held")
	})
}
