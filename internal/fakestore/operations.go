package fakestore

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

var _ server.StrictServerInterface = (*Store)(nil)

// The bounds the fake enforces are the wrapper's, which
// internal/specsync keeps equal to openapi.yaml's.
const (
	minPageSize   = wrapper.MinPageSize
	maxPageSize   = wrapper.MaxPageSize
	maxNameLength = wrapper.MaxNameLength
)

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
