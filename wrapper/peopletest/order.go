package peopletest

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/generated"
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
func (s *store) compareID(a, b int32) int {
	if c := cmp.Compare(s.recs[a].pre, s.recs[b].pre); c != 0 {
		return c
	}
	return strings.Compare(s.src.id(int(a)), s.src.id(int(b)))
}

// compareName: named people first, by name ignoring case, then the unnamed.
func (s *store) compareName(a, b int32) int {
	ra, rb := &s.recs[a], &s.recs[b]
	if na, nb := ra.named(), rb.named(); na != nb {
		if na {
			return -1
		}
		return 1
	}
	if c := compareFold(ra.name, rb.name); c != 0 {
		return c
	}
	return s.compareID(a, b)
}

func (s *store) compareCreated(a, b int32) int {
	if c := compareStamps(s.recs[a].created(), s.recs[b].created()); c != 0 {
		return c
	}
	return s.compareID(a, b)
}

func (s *store) compareUpdated(a, b int32) int {
	if c := compareStamps(s.recs[a].updated(), s.recs[b].updated()); c != 0 {
		return c
	}
	return s.compareID(a, b)
}

// compareToCursor orders person e against a cursor's place in q's sort
// field, ascending.
func (s *store) compareToCursor(e int32, c *cursor) int {
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
			v = compareFold(r.name, c.Name)
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
func (s *store) cursorAt(q query, e int32) cursor {
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

func (s *store) index(sortBy string) *orderedIndex {
	switch sortBy {
	case string(generated.SortByCreatedAt):
		return s.byCreated
	case string(generated.SortByUpdatedAt):
		return s.byUpdated
	}
	return s.byName
}

// compareFold compares a and b as their lower-case forms do.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := rune(a[0]), 1
		if ra >= utf8.RuneSelf {
			ra, na = utf8.DecodeRuneInString(a)
		} else if 'A' <= ra && ra <= 'Z' {
			ra += 'a' - 'A'
		}
		rb, nb := rune(b[0]), 1
		if rb >= utf8.RuneSelf {
			rb, nb = utf8.DecodeRuneInString(b)
		} else if 'A' <= rb && rb <= 'Z' {
			rb += 'a' - 'A'
		}
		if ra >= utf8.RuneSelf || rb >= utf8.RuneSelf {
			ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		}
		if ra != rb {
			return cmp.Compare(ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// hasPrefixFold: s starts with prefix, which is lower case, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		rs, ns := utf8.DecodeRuneInString(s)
		rp, np := utf8.DecodeRuneInString(prefix)
		if unicode.ToLower(rs) != rp {
			return false
		}
		s, prefix = s[ns:], prefix[np:]
	}
	return true
}
