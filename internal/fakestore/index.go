package fakestore

import (
	"slices"
	"sort"
)

// orderedIndex keeps person numbers in one sort order, as a database index
// would: a list of short sorted blocks, so that an update moves a few
// hundred entries rather than the whole list, and a page is found by
// binary search and filled by scanning forward (or back) from there.
type orderedIndex struct {
	blocks  [][]int32
	compare func(a, b int32) int
}

// indexBlock is the size blocks are built at; one splits at twice that.
const indexBlock = 512

// pos is a position in an index: block b, entry k.
type pos struct{ b, k int }

// newIndex builds an index over sorted, which is already in compare order.
func newIndex(sorted []int32, compare func(a, b int32) int) *orderedIndex {
	x := &orderedIndex{compare: compare}
	for len(sorted) > 0 {
		n := min(indexBlock, len(sorted))
		block := make([]int32, n, 2*indexBlock)
		copy(block, sorted[:n])
		x.blocks = append(x.blocks, block)
		sorted = sorted[n:]
	}
	return x
}

// search returns the first position whose entry satisfies after, which
// must be false for a prefix of the order and true for the rest.
func (x *orderedIndex) search(after func(e int32) bool) pos {
	b := sort.Search(len(x.blocks), func(i int) bool {
		blk := x.blocks[i]
		return after(blk[len(blk)-1])
	})
	if b == len(x.blocks) {
		return x.end()
	}
	blk := x.blocks[b]
	return pos{b, sort.Search(len(blk), func(i int) bool { return after(blk[i]) })}
}

func (x *orderedIndex) begin() pos { return pos{0, 0} }
func (x *orderedIndex) end() pos   { return pos{len(x.blocks), 0} }

func (x *orderedIndex) valid(p pos) bool { return p.b < len(x.blocks) && p.b >= 0 }

func (x *orderedIndex) at(p pos) int32 { return x.blocks[p.b][p.k] }

func (x *orderedIndex) next(p pos) pos {
	if p.k+1 < len(x.blocks[p.b]) {
		return pos{p.b, p.k + 1}
	}
	return pos{p.b + 1, 0}
}

// prev steps back; before the first entry it returns a position for which
// valid is false.
func (x *orderedIndex) prev(p pos) pos {
	if p.k > 0 {
		return pos{p.b, p.k - 1}
	}
	if p.b == 0 {
		return pos{-1, 0}
	}
	return pos{p.b - 1, len(x.blocks[p.b-1]) - 1}
}

// insert adds e where its order puts it.
func (x *orderedIndex) insert(e int32) {
	if len(x.blocks) == 0 {
		x.blocks = [][]int32{append(make([]int32, 0, 2*indexBlock), e)}
		return
	}
	p := x.search(func(o int32) bool { return x.compare(o, e) > 0 })
	if p.b == len(x.blocks) {
		p = pos{p.b - 1, len(x.blocks[p.b-1])}
	}
	blk := append(x.blocks[p.b], 0)
	copy(blk[p.k+1:], blk[p.k:])
	blk[p.k] = e
	x.blocks[p.b] = blk
	if len(blk) >= 2*indexBlock {
		right := append(make([]int32, 0, 2*indexBlock), blk[indexBlock:]...)
		x.blocks[p.b] = blk[:indexBlock]
		x.blocks = slices.Insert(x.blocks, p.b+1, right)
	}
}

// remove takes e out; its key must be the one it was inserted with.
func (x *orderedIndex) remove(e int32) bool {
	p := x.search(func(o int32) bool { return x.compare(o, e) >= 0 })
	if !x.valid(p) || x.at(p) != e {
		return false
	}
	blk := x.blocks[p.b]
	copy(blk[p.k:], blk[p.k+1:])
	blk = blk[:len(blk)-1]
	if len(blk) == 0 {
		x.blocks = append(x.blocks[:p.b], x.blocks[p.b+1:]...)
		return true
	}
	x.blocks[p.b] = blk
	return true
}

// all returns every entry in order.
func (x *orderedIndex) all() []int32 {
	var out []int32
	for _, blk := range x.blocks {
		out = append(out, blk...)
	}
	return out
}
