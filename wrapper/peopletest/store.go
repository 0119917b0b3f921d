package peopletest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// store holds the fake's people and implements the API's semantics through
// the generated strict server interface, so its answers have the spec's
// types by construction.
type store struct {
	mu     sync.Mutex
	people map[string]*generated.PersonDetails
	faces  map[string]string // asset ID -> person ID whose face it shows
	// views caches sorted, filtered ID lists per query, so that walking
	// 100,000 people page by page costs one sort, not one per page.
	views map[string][]string
	now   func() time.Time
	allow func(personID, action string) bool
}

var _ server.StrictServerInterface = (*store)(nil)

// load replaces the store's data with people and faces (asset ID -> person
// ID), copying them so that later updates leave the originals alone.
func (s *store) load(people []generated.PersonDetails, faces map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.people = make(map[string]*generated.PersonDetails, len(people))
	s.faces = make(map[string]string, len(faces))
	for _, p := range people {
		s.put(p)
	}
	for asset, person := range faces {
		s.faces[asset] = person
	}
}

func (s *store) put(p generated.PersonDetails) {
	s.people[p.ID] = &p
	if p.Thumbnail.AssetID != "" {
		s.faces[p.Thumbnail.AssetID] = p.ID
	}
	s.views = nil
}

func (s *store) ListPeople(ctx context.Context, req server.ListPeopleRequestObject) (server.ListPeopleResponseObject, error) {
	p := req.Params
	h := rateLimitFrom(ctx)
	bad := func(msg string) (server.ListPeopleResponseObject, error) {
		return server.ListPeople400JSONResponse{BadRequestJSONResponse: server.BadRequestJSONResponse{
			Body: apiError(msg), Headers: server.BadRequestResponseHeaders(h)}}, nil
	}
	size := 50
	if p.MaxResults != nil {
		if *p.MaxResults < wrapper.MinPageSize || *p.MaxResults > wrapper.MaxPageSize {
			return bad(fmt.Sprintf("Invalid max_results value, must be between %d and %d", wrapper.MinPageSize, wrapper.MaxPageSize))
		}
		size = *p.MaxResults
	}
	if p.SortBy != nil && !p.SortBy.Valid() {
		return bad("Invalid sort_by value")
	}
	if p.Direction != nil && !p.Direction.Valid() {
		return bad("Invalid direction value")
	}
	if p.NameStatus != nil && !p.NameStatus.Valid() {
		return bad("Invalid name_status value")
	}
	if p.Status != nil && !p.Status.Valid() {
		return bad("Invalid status value, must be one of active, hidden")
	}
	var after *cursorKey
	if p.NextCursor != nil {
		k, ok := decodeCursor(*p.NextCursor)
		if !ok {
			return bad("Invalid next_cursor value")
		}
		after = &k
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.view(p)
	by, desc := deref(p.SortBy), p.Direction != nil && *p.Direction == generated.DirectionDesc
	// Keyset paging: the page starts after the last person of the previous
	// one, found by sort key, not by position, so a change elsewhere in the
	// list cannot shift anyone who did not change past the cursor.
	start := 0
	if after != nil {
		start = sort.Search(len(ids), func(i int) bool {
			return orderKeys(keyOf(s.people[ids[i]], by), *after, by, desc) > 0
		})
	}
	end := min(start+size, len(ids))
	page := generated.PeoplePage{People: make([]generated.PersonDetails, 0, end-start)}
	for _, id := range ids[start:end] {
		page.People = append(page.People, *s.people[id])
	}
	if end < len(ids) {
		page.NextCursor = encodeCursor(keyOf(s.people[ids[end-1]], by))
	}
	return server.ListPeople200JSONResponse{Body: page, Headers: h}, nil
}

// view returns the IDs matching p's filters in p's order. Callers hold mu.
func (s *store) view(p generated.ListPeopleParams) []string {
	key := fmt.Sprint(deref(p.NameStatus), "|", strings.ToLower(deref(p.NamePrefix)), "|", deref(p.Status), "|", deref(p.SortBy), "|", deref(p.Direction))
	if ids, ok := s.views[key]; ok {
		return ids
	}
	prefix := strings.ToLower(deref(p.NamePrefix))
	ids := make([]string, 0, len(s.people))
	for id, person := range s.people {
		named := person.Name != nil && *person.Name != ""
		switch {
		case p.NameStatus != nil && *p.NameStatus == generated.NameStatusNamed && !named,
			p.NameStatus != nil && *p.NameStatus == generated.NameStatusUnnamed && named,
			prefix != "" && (!named || !strings.HasPrefix(strings.ToLower(*person.Name), prefix)),
			p.Status != nil && person.Status != *p.Status:
			continue
		}
		ids = append(ids, id)
	}
	by, desc := deref(p.SortBy), p.Direction != nil && *p.Direction == generated.DirectionDesc
	slices.SortFunc(ids, func(a, b string) int {
		return orderKeys(keyOf(s.people[a], by), keyOf(s.people[b], by), by, desc)
	})
	if s.views == nil {
		s.views = map[string][]string{}
	}
	s.views[key] = ids
	return ids
}

// cursorKey is where a person stands in a sort order: the sort field's value
// and, to break ties, the ID. A cursor carries the key of a page's last
// person.
type cursorKey struct {
	Named bool      `json:"n,omitempty"`
	Name  string    `json:"s,omitempty"` // lower-cased
	Time  time.Time `json:"t,omitzero"`
	ID    string    `json:"id"`
}

func keyOf(p *generated.PersonDetails, by generated.SortBy) cursorKey {
	k := cursorKey{ID: p.ID}
	switch by {
	case generated.SortByCreatedAt:
		k.Time = p.CreatedAt
	case generated.SortByUpdatedAt:
		k.Time = p.UpdatedAt
	default:
		if p.Name != nil {
			k.Named, k.Name = true, strings.ToLower(*p.Name)
		}
	}
	return k
}

// orderKeys orders by the sort field, then by ID; unnamed people sort after
// named ones. desc reverses the whole order.
func orderKeys(a, b cursorKey, by generated.SortBy, desc bool) int {
	var c int
	switch by {
	case generated.SortByCreatedAt, generated.SortByUpdatedAt:
		c = a.Time.Compare(b.Time)
	default:
		switch {
		case a.Named && !b.Named:
			c = -1
		case !a.Named && b.Named:
			c = 1
		default:
			c = strings.Compare(a.Name, b.Name)
		}
	}
	if c == 0 {
		c = strings.Compare(a.ID, b.ID)
	}
	if desc {
		return -c
	}
	return c
}

func (s *store) GetPerson(ctx context.Context, req server.GetPersonRequestObject) (server.GetPersonResponseObject, error) {
	h := rateLimitFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.people[req.PersonID]
	if !ok {
		return server.GetPerson404JSONResponse{NotFoundJSONResponse: notFound(req.PersonID, h)}, nil
	}
	return server.GetPerson200JSONResponse{Body: generated.PersonEnvelope{Person: *p}, Headers: server.GetPerson200ResponseHeaders(h)}, nil
}

func (s *store) UpdatePerson(ctx context.Context, req server.UpdatePersonRequestObject) (server.UpdatePersonResponseObject, error) {
	h := rateLimitFrom(ctx)
	bad := func(msg string) (server.UpdatePersonResponseObject, error) {
		return server.UpdatePerson400JSONResponse{BadRequestJSONResponse: server.BadRequestJSONResponse{
			Body: apiError(msg), Headers: server.BadRequestResponseHeaders(h)}}, nil
	}
	b := req.Body
	if b == nil || (b.Name == "" && b.Status == "" && b.ThumbnailAssetID == "") {
		return bad("Missing required parameter")
	}
	if utf8.RuneCountInString(b.Name) > wrapper.MaxNameLength {
		return bad(fmt.Sprintf("Name is too long, maximum is %d", wrapper.MaxNameLength))
	}
	if b.Status != "" && !b.Status.Valid() {
		return bad("Invalid status value, must be one of active, hidden")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.people[req.PersonID]
	if !ok {
		return server.UpdatePerson404JSONResponse{NotFoundJSONResponse: notFound(req.PersonID, h)}, nil
	}
	if a := b.ThumbnailAssetID; a != "" {
		owner, known := s.faces[a]
		switch {
		case !known:
			return bad("No faces detected in the provided Asset")
		case owner != p.ID:
			return bad("The provided Asset does not contain a face for this Person")
		}
	}
	updated := *p
	if b.Name != "" {
		updated.Name = &b.Name
	}
	if b.Status != "" {
		updated.Status = b.Status
	}
	if a := b.ThumbnailAssetID; a != "" && a != p.Thumbnail.AssetID {
		updated.Thumbnail = thumbnailFor(a, s.now())
	}
	updated.UpdatedAt = s.now().UTC().Truncate(time.Second)
	s.put(updated)
	return server.UpdatePerson200JSONResponse{
		Body:    generated.UpdatedPerson{PersonID: updated.ID, Name: updated.Name, Status: updated.Status},
		Headers: server.UpdatePerson200ResponseHeaders(h),
	}, nil
}

func (s *store) InspectPeoplePermissions(ctx context.Context, req server.InspectPeoplePermissionsRequestObject) (server.InspectPeoplePermissionsResponseObject, error) {
	h := rateLimitFrom(ctx)
	if req.Body == nil || len(req.Body.Inspections.Person.Items) == 0 || len(req.Body.Inspections.Person.Actions) == 0 {
		return server.InspectPeoplePermissions400JSONResponse{BadRequestJSONResponse: server.BadRequestJSONResponse{
			Body: apiError("Missing required parameter"), Headers: server.BadRequestResponseHeaders(h)}}, nil
	}
	in := req.Body.Inspections.Person
	answers := make(map[string]map[string]bool, len(in.Items))
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, id := range in.Items {
		_, known := s.people[id]
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

func apiError(msg string) generated.APIError {
	var e generated.APIError
	e.Error.Message = msg
	return e
}

// notFound is the API's 404 for an unknown person, shared by get and update.
func notFound(id string, h server.ListPeople200ResponseHeaders) server.NotFoundJSONResponse {
	return server.NotFoundJSONResponse{Body: apiError("Can't find Person with id " + id), Headers: server.NotFoundResponseHeaders(h)}
}

// Cursors are opaque to clients; here they carry a cursorKey.
func encodeCursor(k cursorKey) string {
	b, _ := json.Marshal(k)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string) (cursorKey, bool) {
	var k cursorKey
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || json.Unmarshal(b, &k) != nil || k.ID == "" {
		return cursorKey{}, false
	}
	return k, true
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
