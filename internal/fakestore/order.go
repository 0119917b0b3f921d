package fakestore

import (
	"cmp"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// idPrefix is the first 8 bytes of an ID, big-endian: comparing two of
// them orders IDs as strings do, as far as those bytes go.
func idPrefix(id string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(id) {
			p |= uint64(id[i])
		}
	}
	return p
}

// The orders. Each ends with the ID, so that no two people tie and a
// keyset cursor names one place.
func (s *Store) compareID(a, b int32) int {
	if c := cmp.Compare(s.recs[a].pre, s.recs[b].pre); c != 0 {
		return c
	}
	return strings.Compare(s.src.id(int(a)), s.src.id(int(b)))
}

// compareName: named people first, by name ignoring case, then the unnamed.
func (s *Store) compareName(a, b int32) int {
	ra, rb := &s.recs[a], &s.recs[b]
	if na, nb := ra.named(), rb.named(); na != nb {
		if na {
			return -1
		}
		return 1
	}
	if c := apirules.CompareNames(ra.name, rb.name); c != 0 {
		return c
	}
	return s.compareID(a, b)
}

func (s *Store) compareCreated(a, b int32) int {
	if c := compareStamps(s.recs[a].created(), s.recs[b].created()); c != 0 {
		return c
	}
	return s.compareID(a, b)
}

func (s *Store) compareUpdated(a, b int32) int {
	if c := compareStamps(s.recs[a].updated(), s.recs[b].updated()); c != 0 {
		return c
	}
	return s.compareID(a, b)
}

// compareToCursor orders person e against a cursor's place in q's sort
// field, ascending.
func (s *Store) compareToCursor(e int32, c *cursor) int {
	r := &s.recs[e]
	var v int
	switch c.Q.SortBy {
	case string(generated.SortByCreatedAt):
		v = compareStamps(r.created(), c.Time)
	case string(generated.SortByUpdatedAt):
		v = compareStamps(r.updated(), c.Time)
	default:
		switch named := r.named(); {
		case named && !c.Named:
			v = -1
		case !named && c.Named:
			v = 1
		default:
			v = apirules.CompareNames(r.name, c.Name)
		}
	}
	if v != 0 {
		return v
	}
	if v = cmp.Compare(r.pre, idPrefix(c.ID)); v != 0 {
		return v
	}
	return strings.Compare(s.src.id(int(e)), c.ID)
}

// cursorAt is the cursor that continues q after person e.
func (s *Store) cursorAt(q query, e int32) cursor {
	r := &s.recs[e]
	c := cursor{Q: q, ID: s.src.id(int(e))}
	switch q.SortBy {
	case string(generated.SortByCreatedAt):
		c.Time = r.created()
	case string(generated.SortByUpdatedAt):
		c.Time = r.updated()
	default:
		c.Named, c.Name = r.named(), r.name
	}
	return c
}

func (s *Store) index(sortBy string) *orderedIndex {
	switch sortBy {
	case string(generated.SortByCreatedAt):
		return s.byCreated
	case string(generated.SortByUpdatedAt):
		return s.byUpdated
	}
	return s.byName
}
