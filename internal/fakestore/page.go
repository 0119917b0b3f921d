package fakestore

import (
	"slices"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// matches applies q's filters to person e.
func (s *Store) matches(e int32, q *query) bool {
	r := &s.recs[e]
	switch {
	case q.NameStatus == string(generated.NameStatusNamed) && !r.named(),
		q.NameStatus == string(generated.NameStatusUnnamed) && r.named(),
		q.NamePrefix != "" && (!r.named() || !apirules.HasNamePrefix(r.name, q.NamePrefix)):
		return false
	case q.Status != "":
		return s.status(e) == generated.PersonStatus(q.Status)
	}
	return true
}

func (s *Store) status(e int32) generated.PersonStatus {
	switch s.recs[e].status {
	case statusActive:
		return generated.PersonStatusActive
	case statusHidden:
		return generated.PersonStatusHidden
	}
	return s.src.person(int(e)).Status
}

// nameRange bounds, in the name index, the people q can match: named ones
// with the prefix, all named ones, or the unnamed.
func (s *Store) nameRange(q *query) (lo, hi pos) {
	x := s.byName
	lo, hi = x.begin(), x.end()
	unnamed := func(e int32) bool { return !s.recs[e].named() }
	switch {
	case q.NamePrefix != "":
		if q.NameStatus == string(generated.NameStatusUnnamed) {
			return hi, hi
		}
		lo = x.search(func(e int32) bool { return unnamed(e) || apirules.CompareNames(s.recs[e].name, q.NamePrefix) >= 0 })
		hi = x.search(func(e int32) bool {
			name := s.recs[e].name
			return unnamed(e) || apirules.CompareNames(name, q.NamePrefix) > 0 && !apirules.HasNamePrefix(name, q.NamePrefix)
		})
	case q.NameStatus == string(generated.NameStatusNamed):
		hi = x.search(unnamed)
	case q.NameStatus == string(generated.NameStatusUnnamed):
		lo = x.search(unnamed)
	}
	return lo, hi
}

// collectLimit is the most people a name prefix may match for a page in
// another order to be made by sorting them; past it the page is filled by
// scanning the other order's index instead.
const collectLimit = 20000

// page returns up to size people matching q after the cursor (nil: from
// the start), and whether more follow.
func (s *Store) page(q query, after *cursor, size int) ([]int32, bool) {
	if q.SortBy != string(generated.SortByName) && q.NamePrefix != "" {
		if out, more, ok := s.pageByCollecting(q, after, size); ok {
			return out, more
		}
	}
	x := s.index(q.SortBy)
	lo, hi := x.begin(), x.end()
	if q.SortBy == string(generated.SortByName) {
		lo, hi = s.nameRange(&q)
	}
	out := make([]int32, 0, size+1)
	if !q.desc() {
		p := lo
		if after != nil {
			if c := x.search(func(e int32) bool { return s.compareToCursor(e, after) > 0 }); before(p, c) {
				p = c
			}
		}
		for ; before(p, hi) && len(out) <= size; p = x.next(p) {
			if e := x.at(p); s.matches(e, &q) {
				out = append(out, e)
			}
		}
	} else {
		p := x.prev(hi)
		if after != nil {
			if c := x.prev(x.search(func(e int32) bool { return s.compareToCursor(e, after) >= 0 })); before(c, p) {
				p = c
			}
		}
		for ; x.valid(p) && !before(p, lo) && len(out) <= size; p = x.prev(p) {
			if e := x.at(p); s.matches(e, &q) {
				out = append(out, e)
			}
		}
	}
	if len(out) > size {
		return out[:size], true
	}
	return out, false
}

// pageByCollecting serves a name prefix in a time order: the people with
// the prefix are next to each other in the name index, so when they are
// few, sorting them beats scanning the whole time index for them.
func (s *Store) pageByCollecting(q query, after *cursor, size int) ([]int32, bool, bool) {
	lo, hi := s.nameRange(&q)
	var found []int32
	for p := lo; before(p, hi); p = s.byName.next(p) {
		if len(found) == collectLimit {
			return nil, false, false
		}
		if e := s.byName.at(p); s.matches(e, &q) {
			found = append(found, e)
		}
	}
	compare := s.index(q.SortBy).compare
	slices.SortFunc(found, compare)
	if q.desc() {
		slices.Reverse(found)
	}
	if after != nil {
		found = slices.DeleteFunc(found, func(e int32) bool {
			c := s.compareToCursor(e, after)
			return c == 0 || (c < 0) != q.desc()
		})
	}
	if len(found) > size {
		return found[:size], true, true
	}
	return found, false, true
}

// before orders positions of one index.
func before(a, b pos) bool { return a.b < b.b || a.b == b.b && a.k < b.k }
