package fakestore

import (
	"cmp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated"
)

// Store holds the fake's people and implements the API's semantics through
// the generated strict server interface, so its answers have the spec's
// types by construction. Its methods are safe for concurrent use.
//
// People are numbered in seed order. Each has a small rec of the fields
// that sort and filter; the rest is made on demand from the seed (a
// generated person from its number), with what updates changed laid over
// it. One orderedIndex per sort field is kept up to date on each update,
// so a page costs a binary search and a short scan whatever the account's
// size, and no query leaves anything behind.
type Store struct {
	mu        sync.Mutex
	src       Seed
	recs      []rec
	thumbs    map[int32]generated.Thumbnail // thumbnails changed since load
	faces     map[string]string             // asset ID -> person ID, besides generated people's own
	byID      []int32                       // by idPrefix, then ID
	byName    *orderedIndex
	byCreated *orderedIndex
	byUpdated *orderedIndex
	now       func() time.Time
	allow     func(personID, action string) bool
	pageSize  int // max_results when the call sends none: the spec's default
}

// rec is what sorting and filtering need of a person.
type rec struct {
	name string // as given; matched and ordered ignoring case
	pre  uint64 // idPrefix of the ID: orders ties without the ID itself
	// created and updated as Unix seconds and nanoseconds apart: Unix
	// nanoseconds alone overflow outside the years 1678 to 2262.
	createdSec, updatedSec int64
	createdNs, updatedNs   int32
	hasName                bool  // name is set (it may still be "": unnamed all the same)
	status                 uint8 // statusActive, statusHidden, or statusSeeded: another value, as seeded
	changed                bool  // name, status or updated differ from the seed
}

// stamp is a time as a sort key: Unix seconds, then nanoseconds.
type stamp struct {
	Sec int64 `json:"t"`
	Ns  int32 `json:"tn,omitempty"`
}

func stampOf(t time.Time) stamp { return stamp{t.Unix(), int32(t.Nanosecond())} }

func (s stamp) time() time.Time { return time.Unix(s.Sec, int64(s.Ns)).UTC() }

func compareStamps(a, b stamp) int {
	if c := cmp.Compare(a.Sec, b.Sec); c != 0 {
		return c
	}
	return cmp.Compare(a.Ns, b.Ns)
}

func (r *rec) created() stamp { return stamp{r.createdSec, r.createdNs} }
func (r *rec) updated() stamp { return stamp{r.updatedSec, r.updatedNs} }

func (r *rec) setCreated(t stamp) { r.createdSec, r.createdNs = t.Sec, t.Ns }
func (r *rec) setUpdated(t stamp) { r.updatedSec, r.updatedNs = t.Sec, t.Ns }

const (
	statusActive uint8 = iota
	statusHidden
	statusSeeded
)

func statusCode(s generated.PersonStatus) uint8 {
	switch s {
	case generated.PersonStatusActive:
		return statusActive
	case generated.PersonStatusHidden:
		return statusHidden
	}
	return statusSeeded
}

func (r *rec) named() bool { return r.hasName && r.name != "" }

// New returns an empty store. pageSize is the page a list call gets when
// it asks for none (the spec's default); allow answers permission
// inspections for people who exist.
func New(pageSize int, allow func(personID, action string) bool) *Store {
	return &Store{now: time.Now, allow: allow, pageSize: pageSize}
}

// Load replaces the store's data with src and faces (asset ID -> person
// ID), building the indexes.
func (s *Store) Load(src Seed, faces map[string]string) {
	if src.len() == 0 {
		src.People = DefaultPeople()
	}
	n := src.len()
	recs := make([]rec, n)
	for i := range recs {
		recs[i] = src.rec(i)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.src, s.recs = src, recs
	s.thumbs = map[int32]generated.Thumbnail{}
	s.faces = make(map[string]string, len(faces)+len(src.People))
	for _, p := range src.People {
		if p.Thumbnail.AssetID != "" {
			s.faces[p.Thumbnail.AssetID] = p.ID
		}
	}
	for asset, person := range faces {
		s.faces[asset] = person
	}
	// Four sorts of n numbers, two at a time on two cores.
	sorted := func(compare func(a, b int32) int) []int32 {
		all := make([]int32, n)
		for i := range all {
			all[i] = int32(i)
		}
		slices.SortFunc(all, compare)
		return all
	}
	var wg sync.WaitGroup
	var byName, byCreated, byUpdated []int32
	wg.Go(func() { s.byID = sorted(s.compareID) })
	wg.Go(func() { byName = sorted(s.compareName) })
	wg.Go(func() { byCreated = sorted(s.compareCreated) })
	wg.Go(func() { byUpdated = sorted(s.compareUpdated) })
	wg.Wait()
	s.byName = newIndex(byName, s.compareName)
	s.byCreated = newIndex(byCreated, s.compareCreated)
	s.byUpdated = newIndex(byUpdated, s.compareUpdated)
}

// lookup finds a person's number by ID.
func (s *Store) lookup(id string) (int32, bool) {
	pre := idPrefix(id)
	i := sort.Search(len(s.byID), func(i int) bool {
		e := s.byID[i]
		if c := cmp.Compare(s.recs[e].pre, pre); c != 0 {
			return c > 0
		}
		return s.src.id(int(e)) >= id
	})
	if i < len(s.byID) && s.src.id(int(s.byID[i])) == id {
		return s.byID[i], true
	}
	return 0, false
}

// details is person e as the API answers it.
func (s *Store) details(e int32) generated.PersonDetails {
	d := s.src.person(int(e))
	if r := &s.recs[e]; r.changed {
		d.Name = nil
		if r.hasName {
			name := r.name
			d.Name = &name
		}
		if r.status != statusSeeded {
			d.Status = s.status(e)
		}
		d.UpdatedAt = r.updated().time()
	}
	if t, ok := s.thumbs[e]; ok {
		d.Thumbnail = t
	}
	return d
}

// Len is how many people the store holds.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recs)
}

// Person is one person as the API would answer it.
func (s *Store) Person(id string) (generated.PersonDetails, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lookup(id)
	if !ok {
		return generated.PersonDetails{}, false
	}
	return s.details(e), true
}

// All is every person in name order.
func (s *Store) All() []generated.PersonDetails {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]generated.PersonDetails, 0, len(s.recs))
	for _, e := range s.byName.all() {
		out = append(out, s.details(e))
	}
	return out
}

// owner is the ID of the person whose face asset shows.
func (s *Store) owner(asset string) (string, bool) {
	if id, ok := s.faces[asset]; ok {
		return id, true
	}
	if s.src.Generated > 0 {
		if i, ok := syntheticOwner(asset, s.src.Generated); ok {
			return syntheticID(i), true
		}
	}
	return "", false
}
