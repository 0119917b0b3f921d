package wrapper_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestListPeopleSendsOnlyTheFiltersSet(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	_, err := c.ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err)
	opts := wrapper.ListOptions{
		MaxResults: 1, NameStatus: wrapper.NameStatusNamed, NamePrefix: "A",
		Status: wrapper.StatusActive, SortBy: wrapper.SortByUpdatedAt, Direction: wrapper.DirectionDesc,
	}
	first, err := c.ListPeople(ctx, opts)
	require.NoError(t, err)
	require.NotEmpty(t, first.NextCursor)
	cursor := first.NextCursor
	opts.MaxResults, opts.NextCursor = 7, cursor
	_, err = c.ListPeople(ctx, opts)
	require.NoError(t, err)
	reqs := s.Requests()
	assert.Empty(t, reqs[0].Query, "zero ListOptions sends no query")
	assert.Equal(t, url.Values{
		"max_results": {"7"}, "next_cursor": {cursor}, "name_status": {"named"}, "name_prefix": {"A"},
		"status": {"active"}, "sort_by": {"updated_at"}, "direction": {"desc"},
	}, reqs[2].Query)
}

func TestListPeopleFiltersAndMapsPeople(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	page, err := c.ListPeople(ctx, wrapper.ListOptions{NamePrefix: "gr", NameStatus: wrapper.NameStatusNamed})
	require.NoError(t, err)
	require.Len(t, page.People, 1)
	g := page.People[0]
	assert.Equal(t, "Grace Hopper", g.Name)
	assert.Equal(t, wrapper.StatusActive, g.Status)
	assert.False(t, g.CreatedAt.IsZero())
	assert.False(t, g.UpdatedAt.IsZero())
	assert.Len(t, g.ID, 64)
	require.NotNil(t, g.Thumbnail)
	require.NotNil(t, g.Thumbnail.BoundingBox)
	assert.Equal(t, 96, g.Thumbnail.BoundingBox.Width)
	assert.NotEmpty(t, g.Thumbnail.AssetID)
	assert.NotZero(t, g.Thumbnail.Version)
	assert.Empty(t, page.NextCursor, "the only page")
	assert.Equal(t, 500, page.RateLimit.Limit)
	assert.Equal(t, 499, page.RateLimit.Remaining)
	assert.False(t, page.RateLimit.Reset.IsZero())

	unnamed, err := c.ListPeople(ctx, wrapper.ListOptions{NameStatus: wrapper.NameStatusUnnamed, Status: wrapper.StatusHidden})
	require.NoError(t, err)
	require.Len(t, unnamed.People, 1, "one unnamed hidden person")
	assert.Empty(t, unnamed.People[0].Name)
	assert.Nil(t, unnamed.People[0].Thumbnail)
}

func TestDecodingKeepsUnknownValuesAndMapsNulls(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, jsonBody(200, `{
		"people": [{
			"id": "p1", "name": null, "status": "zz_unknown_status", "zz_undeclared_probe": 12,
			"thumbnail": {"asset_id": "a1", "bounding_box": [1, 2, 3, 4], "url": "https://x/y.jpg", "resource_type": "image",
				"type": "upload", "public_id": "y", "version": 1718000000, "format": "jpg"},
			"created_at": "2024-06-10T09:13:20Z", "updated_at": "2024-06-12T15:02:44+02:00", "new_field": {"nested": [1]}
		}, {"id": "p2", "name": "Bo", "status": "active", "thumbnail": {"asset_id": "a2", "bounding_box": [1, 2, 3]}}],
		"next_cursor": "abc", "total": 99
	}`))
	page, err := srv.client(t).ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err, "unknown properties or enum values failed decoding")
	p := page.People[0]
	assert.Empty(t, p.Name)
	assert.Equal(t, wrapper.Status("zz_unknown_status"), p.Status, "the unknown status is kept")
	require.NotNil(t, p.Thumbnail)
	require.NotNil(t, p.Thumbnail.BoundingBox)
	assert.Equal(t, wrapper.BoundingBox{X: 1, Y: 2, Width: 3, Height: 4}, *p.Thumbnail.BoundingBox)
	assert.Equal(t, wrapper.Thumbnail{AssetID: "a1", BoundingBox: p.Thumbnail.BoundingBox, URL: "https://x/y.jpg", ResourceType: "image", Type: "upload", PublicID: "y", Version: 1718000000,
		Undeclared: map[string]json.RawMessage{"format": json.RawMessage(`"jpg"`)}}, *p.Thumbnail, "a nested undeclared property is kept too")
	assert.JSONEq(t, "12", string(p.Undeclared["zz_undeclared_probe"]))
	assert.JSONEq(t, `{"nested": [1]}`, string(p.Undeclared["new_field"]))
	assert.True(t, p.UpdatedAt.Equal(time.Date(2024, 6, 12, 13, 2, 44, 0, time.UTC)), "UpdatedAt = %v", p.UpdatedAt)
	assert.Nil(t, page.People[1].Thumbnail.BoundingBox, "a three-number bounding box")
	assert.Equal(t, "abc", page.NextCursor)
}

func TestGetUpdateAndInspect(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	first, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 2})
	require.NoError(t, err)
	id, other := first.People[0].ID, first.People[1].ID
	lastBody := func() []byte {
		reqs := s.Requests()
		return reqs[len(reqs)-1].Body
	}

	got, err := c.GetPerson(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, first.People[0].Name, got.Name)

	t.Run("status only", func(t *testing.T) {
		up, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Status: wrapper.StatusHidden})
		require.NoError(t, err)
		assert.Equal(t, &wrapper.UpdatedPerson{ID: id, Name: got.Name, Status: wrapper.StatusHidden}, up)
		assert.JSONEq(t, `{"status":"hidden"}`, string(lastBody()), "only the status is sent")
		now, _ := s.Person(id)
		assert.Equal(t, wrapper.StatusHidden, now.Status)
		assert.True(t, now.UpdatedAt.After(got.UpdatedAt))
	})
	t.Run("name and thumbnail", func(t *testing.T) {
		_, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Name: "Renamed", ThumbnailAssetID: got.Thumbnail.AssetID})
		require.NoError(t, err)
		var sent map[string]any
		require.NoError(t, json.Unmarshal(lastBody(), &sent))
		assert.Equal(t, map[string]any{"name": "Renamed", "thumbnail_asset_id": got.Thumbnail.AssetID}, sent)
	})
	t.Run("a thumbnail that shows someone else", func(t *testing.T) {
		otherPerson, _ := s.Person(other)
		_, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{ThumbnailAssetID: otherPerson.Thumbnail.AssetID})
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, wrapper.ErrValidation)
		assert.Contains(t, apiErr.Message, "does not contain a face")
	})
	t.Run("inspect", func(t *testing.T) {
		perms, err := c.InspectPeoplePermissions(ctx, []string{id, "no-such-person"}, "read", "update")
		require.NoError(t, err)
		assert.True(t, perms.Allowed(id, "read"))
		assert.True(t, perms.Allowed(id, "update"))
		assert.False(t, perms.Allowed("no-such-person", "read"))
		assert.False(t, perms.Allowed(id, "delete"))
		var inspect struct {
			Inspections struct {
				Person struct {
					Items   map[string]string
					Actions map[string]map[string]any
				}
			}
		}
		require.NoError(t, json.Unmarshal(lastBody(), &inspect))
		p := inspect.Inspections.Person
		assert.Len(t, p.Items, 2)
		assert.Len(t, p.Actions, 2)
		assert.NotNil(t, p.Actions["read"])
	})
}

func TestInspectUsesThePermissionsTheServerAnswers(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithPermissions(func(_, action string) bool { return action == "read" }))
	people := s.People()
	perms, err := s.Client().InspectPeoplePermissions(ctx, []string{people[0].ID}, "read", "update")
	require.NoError(t, err)
	assert.True(t, perms.Allowed(people[0].ID, "read"))
	assert.False(t, perms.Allowed(people[0].ID, "update"))
}

func TestInputIsCheckedBeforeAnythingIsSent(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	long := strings.Repeat("é", 256) // 256 characters, 512 bytes
	cases := map[string]func() error{
		"empty ID":            func() error { _, err := c.GetPerson(ctx, ""); return err },
		"blank ID":            func() error { _, err := c.GetPerson(ctx, "  "); return err },
		"dot ID":              func() error { _, err := c.GetPerson(ctx, "."); return err },
		"dot-dot ID":          func() error { _, err := c.UpdatePerson(ctx, "..", wrapper.PersonUpdate{Name: "x"}); return err },
		"empty update":        func() error { _, err := c.UpdatePerson(ctx, "p1", wrapper.PersonUpdate{}); return err },
		"update empty ID":     func() error { _, err := c.UpdatePerson(ctx, "", wrapper.PersonUpdate{Name: "x"}); return err },
		"name of 256 chars":   func() error { _, err := c.UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Name: long}); return err },
		"unknown status":      func() error { _, err := c.UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Status: "deleted"}); return err },
		"max results 101":     func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 101}); return err },
		"max results -1":      func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: -1}); return err },
		"unknown sort":        func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{SortBy: "age"}); return err },
		"unknown direction":   func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{Direction: "up"}); return err },
		"unknown name status": func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{NameStatus: "some"}); return err },
		"unknown list status": func() error { _, err := c.ListPeople(ctx, wrapper.ListOptions{Status: "gone"}); return err },
		"iterator bad input": func() error {
			for _, err := range c.AllPeople(ctx, wrapper.ListOptions{MaxResults: 500}) {
				return err
			}
			return nil
		},
		"inspect no IDs":     func() error { _, err := c.InspectPeoplePermissions(ctx, nil, "read"); return err },
		"inspect no actions": func() error { _, err := c.InspectPeoplePermissions(ctx, []string{"p1"}); return err },
		"inspect empty ID":   func() error { _, err := c.InspectPeoplePermissions(ctx, []string{""}, "read"); return err },
		"inspect empty verb": func() error { _, err := c.InspectPeoplePermissions(ctx, []string{"p1"}, ""); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), wrapper.ErrInvalidInput)
		})
	}
	assert.Zero(t, s.RequestCount(), "invalid input must be refused before sending")
	t.Run("allowed values are listed from the spec", func(t *testing.T) {
		_, err := c.ListPeople(ctx, wrapper.ListOptions{SortBy: "age"})
		assert.ErrorContains(t, err, "created_at, name or updated_at")
	})
	t.Run("255 characters is the limit, not the byte count", func(t *testing.T) {
		_, err := c.UpdatePerson(ctx, s.People()[0].ID, wrapper.PersonUpdate{Name: strings.Repeat("é", 255)})
		assert.NoError(t, err)
	})
}

func TestPersonIDsAreEscapedIntoOnePathSegment(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	for _, id := range []string{"a/b", "../../admin", "x?max_results=1", "frag#ment", "..%2F", "sp ace", "ü/..", "a/../b"} {
		t.Run(id, func(t *testing.T) {
			_, err := c.GetPerson(ctx, id)
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.ErrorIs(t, err, wrapper.ErrNotFound, "the server's answer")
			assert.True(t, strings.HasSuffix(apiErr.Message, id), "server looked up %q", apiErr.Message)
			reqs := s.Requests()
			last := reqs[len(reqs)-1]
			assert.True(t, strings.HasPrefix(last.Path, "/v1_1/"+s.CloudName+"/people/"), last.Path)
			assert.Equal(t, 4, strings.Count(last.Path, "/"), "one escaped segment under /people/: %s", last.Path)
			assert.Empty(t, last.Query)
		})
	}
}

func TestUserAgent(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, jsonBody(200, onePerson))
	_, err := srv.client(t, wrapper.WithUserAgent("my-app/2.0")).GetPerson(ctx, "p1")
	require.NoError(t, err)
	ua := srv.Calls()[0].Header.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "cloudinary-people-go/"+wrapper.Version), ua)
	assert.True(t, strings.HasSuffix(ua, " my-app/2.0"), ua)
}

func TestGeneratedEscapeHatchSharesAuth(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	resp, err := c.Generated().GetPersonWithResponse(ctx, c.CloudName(), s.People()[0].ID)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode())
	require.NotNil(t, resp.JSON200)
	assert.Equal(t, s.People()[0].ID, resp.JSON200.Person.ID)
}
