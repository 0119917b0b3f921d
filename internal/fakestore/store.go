package fakestore

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
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

var _ server.StrictServerInterface = (*Store)(nil)

// The bounds the fake enforces are the wrapper's, which
// internal/specsync keeps equal to openapi.yaml's.
const (
	minPageSize   = wrapper.MinPageSize
	maxPageSize   = wrapper.MaxPageSize
	maxNameLength = wrapper.MaxNameLength
)

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

// ListPeople answers a page of a walk: the filters and order of the
// parameters, or of the cursor, which must agree with any it is sent with.
func (s *Store) ListPeople(ctx context.Context, req server.ListPeopleRequestObject) (server.ListPeopleResponseObject, error) {
	p := req.Params
	h := Headers(ctx)
	bad := func(msg string) (server.ListPeopleResponseObject, error) {
		return server.ListPeople400JSONResponse{BadRequestJSONResponse: server.BadRequestJSONResponse{
			Body: Error(msg), Headers: server.BadRequestResponseHeaders(h)}}, nil
	}
	size := s.pageSize
	if p.MaxResults != nil {
		if *p.MaxResults < minPageSize || *p.MaxResults > maxPageSize {
			return bad(fmt.Sprintf("Invalid max_results value, must be between %d and %d", minPageSize, maxPageSize))
		}
		size = *p.MaxResults
	}
	for _, check := range []struct {
		name  string
		set   bool
		valid bool
	}{
		{"sort_by", p.SortBy != nil, p.SortBy == nil || p.SortBy.Valid()},
		{"direction", p.Direction != nil, p.Direction == nil || p.Direction.Valid()},
		{"name_status", p.NameStatus != nil, p.NameStatus == nil || p.NameStatus.Valid()},
	} {
		if check.set && !check.valid {
			return bad("Invalid " + check.name + " value")
		}
	}
	if p.Status != nil && !p.Status.Valid() {
		return bad(invalidStatus())
	}
	q := queryOf(p)
	var after *cursor
	// An empty next_cursor is no cursor, as an empty name_prefix is no
	// prefix: clients such as the Python SDK send one for "".
	if p.NextCursor != nil && *p.NextCursor != "" {
		c, ok := decodeCursor(*p.NextCursor)
		if !ok {
			return bad("Invalid next_cursor value")
		}
		if msg := c.Q.conflict(p); msg != "" {
			return bad(msg)
		}
		q, after = c.Q, &c
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	found, more := s.page(q, after, size)
	page := generated.PeoplePage{People: make([]generated.PersonDetails, len(found))}
	for i, e := range found {
		page.People[i] = s.details(e)
	}
	if more {
		page.NextCursor = s.cursorAt(q, found[len(found)-1]).encode()
	}
	return server.ListPeople200JSONResponse{Body: page, Headers: h}, nil
}

// invalidStatus is the API's message for a status outside the enum, with
// the values the spec allows.
func invalidStatus() string {
	values := generated.PersonStatusValues()
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return "Invalid status value, must be one of " + strings.Join(names, ", ")
}

// GetPerson answers one person, or 404.
func (s *Store) GetPerson(ctx context.Context, req server.GetPersonRequestObject) (server.GetPersonResponseObject, error) {
	h := Headers(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lookup(req.PersonID)
	if !ok {
		return server.GetPerson404JSONResponse{NotFoundJSONResponse: notFound(req.PersonID, h)}, nil
	}
	return server.GetPerson200JSONResponse{Body: generated.PersonEnvelope{Person: s.details(e)}, Headers: server.GetPerson200ResponseHeaders(h)}, nil
}

// UpdatePerson renames, hides or shows a person, or changes their
// thumbnail to an asset that shows their face, refusing what the API does.
func (s *Store) UpdatePerson(ctx context.Context, req server.UpdatePersonRequestObject) (server.UpdatePersonResponseObject, error) {
	h := Headers(ctx)
	bad := func(msg string) (server.UpdatePersonResponseObject, error) {
		return server.UpdatePerson400JSONResponse{BadRequestJSONResponse: server.BadRequestJSONResponse{
			Body: Error(msg), Headers: server.BadRequestResponseHeaders(h)}}, nil
	}
	b := req.Body
	if b == nil || (b.Name == "" && b.Status == "" && b.ThumbnailAssetID == "") {
		return bad("Missing required parameter")
	}
	if utf8.RuneCountInString(b.Name) > maxNameLength {
		return bad(fmt.Sprintf("Name is too long, maximum is %d", maxNameLength))
	}
	if b.Status != "" && !b.Status.Valid() {
		return bad(invalidStatus())
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lookup(req.PersonID)
	if !ok {
		return server.UpdatePerson404JSONResponse{NotFoundJSONResponse: notFound(req.PersonID, h)}, nil
	}
	id := s.src.id(int(e))
	if a := b.ThumbnailAssetID; a != "" {
		owner, known := s.owner(a)
		switch {
		case !known:
			return bad("No faces detected in the provided Asset")
		case owner != id:
			return bad("The provided Asset does not contain a face for this Person")
		}
	}
	now := s.now().UTC().Truncate(time.Second)
	// Out of the indexes under the old key, back in under the new one.
	s.byName.remove(e)
	s.byUpdated.remove(e)
	r := &s.recs[e]
	if b.Name != "" {
		r.name, r.hasName = b.Name, true
	}
	if b.Status != "" {
		r.status = statusCode(b.Status)
	}
	r.setUpdated(stampOf(now))
	r.changed = true
	s.byName.insert(e)
	s.byUpdated.insert(e)
	d := s.details(e)
	if a := b.ThumbnailAssetID; a != "" && a != d.Thumbnail.AssetID {
		s.thumbs[e] = thumbnailFor(a, now)
	}
	return server.UpdatePerson200JSONResponse{
		Body:    generated.UpdatedPerson{PersonID: id, Name: d.Name, Status: d.Status},
		Headers: server.UpdatePerson200ResponseHeaders(h),
	}, nil
}

// InspectPeoplePermissions answers, per person and action, what allow
// says; an unknown person may do nothing.
func (s *Store) InspectPeoplePermissions(ctx context.Context, req server.InspectPeoplePermissionsRequestObject) (server.InspectPeoplePermissionsResponseObject, error) {
	h := Headers(ctx)
	if req.Body == nil || len(req.Body.Inspections.Person.Items) == 0 || len(req.Body.Inspections.Person.Actions) == 0 {
		return server.InspectPeoplePermissions400JSONResponse{BadRequestJSONResponse: server.BadRequestJSONResponse{
			Body: Error("Missing required parameter"), Headers: server.BadRequestResponseHeaders(h)}}, nil
	}
	in := req.Body.Inspections.Person
	answers := make(map[string]map[string]bool, len(in.Items))
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, id := range in.Items {
		_, known := s.lookup(id)
		acts := make(map[string]bool, len(in.Actions))
		for action := range in.Actions {
			acts[action] = known && s.allow(id, action)
		}
		answers[key] = acts
	}
	out := generated.PermissionsInspection{Message: "ok"}
	out.Inspections.Person = answers
	return server.InspectPeoplePermissions200JSONResponse{Body: out, Headers: server.InspectPeoplePermissions200ResponseHeaders(h)}, nil
}

// notFound is the API's 404 for an unknown person, shared by get and update.
func notFound(id string, h server.ListPeople200ResponseHeaders) server.NotFoundJSONResponse {
	return server.NotFoundJSONResponse{Body: Error("Can't find Person with id " + id), Headers: server.NotFoundResponseHeaders(h)}
}

// messages are what the API (or a proxy in front of it) answers each
// error status with.
var messages = map[int]string{
	http.StatusBadRequest:          "Invalid request",
	http.StatusUnauthorized:        "Invalid credentials",
	http.StatusForbidden:           "People Search is not enabled for this customer",
	http.StatusNotFound:            "Not found",
	http.StatusConflict:            "Already exists",
	apirules.StatusEnhanceYourCalm: "Rate Limit Exceeded",
	http.StatusTooManyRequests:     "Rate Limit Exceeded",
	http.StatusInternalServerError: "General Error",
	http.StatusBadGateway:          "Bad Gateway",
	http.StatusServiceUnavailable:  "Service Unavailable",
	http.StatusGatewayTimeout:      "Gateway Timeout",
}

// Message is the API's message for an error status, "" for one it has
// none for.
func Message(status int) string { return messages[status] }

// Error is the API's JSON error body.
func Error(msg string) generated.APIError {
	var e generated.APIError
	e.Error.Message = msg
	return e
}

type headersKey struct{}

// WithHeaders gives the store the rate-limit headers to answer the call of
// ctx with: the server counts the allowance before the store sees a call.
func WithHeaders(ctx context.Context, h server.ListPeople200ResponseHeaders) context.Context {
	return context.WithValue(ctx, headersKey{}, h)
}

// Headers are the rate-limit headers [WithHeaders] gave the call of ctx.
func Headers(ctx context.Context) server.ListPeople200ResponseHeaders {
	h, _ := ctx.Value(headersKey{}).(server.ListPeople200ResponseHeaders)
	return h
}
