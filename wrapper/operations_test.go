package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

var ctx = context.Background()

func TestListPeopleSendsOnlyTheFiltersSet(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	c := s.Client()
	if _, err := c.ListPeople(ctx, wrapper.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	first, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 1, SortBy: wrapper.SortByUpdatedAt, Direction: wrapper.DirectionDesc})
	if err != nil || first.NextCursor == "" {
		t.Fatalf("first page: %v, cursor %q", err, first.NextCursor)
	}
	cursor := first.NextCursor
	if _, err := c.ListPeople(ctx, wrapper.ListOptions{
		MaxResults: 7, NextCursor: cursor, NameStatus: wrapper.NameStatusNamed, NamePrefix: "Gr",
		Status: wrapper.StatusActive, SortBy: wrapper.SortByUpdatedAt, Direction: wrapper.DirectionDesc,
	}); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if got := reqs[0].Query; len(got) != 0 {
		t.Errorf("zero ListOptions sent query %v, want none", got)
	}
	want := url.Values{
		"max_results": {"7"}, "next_cursor": {cursor}, "name_status": {"named"}, "name_prefix": {"Gr"},
		"status": {"active"}, "sort_by": {"updated_at"}, "direction": {"desc"},
	}
	if got := reqs[2].Query; got.Encode() != want.Encode() {
		t.Errorf("query = %v, want %v", got, want)
	}
}

func TestListPeopleFiltersAndMapsPeople(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	c := s.Client()
	page, err := c.ListPeople(ctx, wrapper.ListOptions{NamePrefix: "gr", NameStatus: wrapper.NameStatusNamed})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.People) != 1 || page.People[0].Name != "Grace Hopper" {
		t.Fatalf("people = %+v, want Grace Hopper alone", page.People)
	}
	g := page.People[0]
	if g.Status != wrapper.StatusActive || g.CreatedAt.IsZero() || g.UpdatedAt.IsZero() || len(g.ID) != 64 {
		t.Errorf("person = %+v", g)
	}
	if g.Thumbnail == nil || g.Thumbnail.BoundingBox == nil || g.Thumbnail.BoundingBox.Width != 96 || g.Thumbnail.AssetID == "" || g.Thumbnail.Version == 0 {
		t.Errorf("thumbnail = %+v", g.Thumbnail)
	}
	if page.NextCursor != "" {
		t.Errorf("NextCursor = %q on the only page", page.NextCursor)
	}
	if page.RateLimit.Limit != 500 || page.RateLimit.Remaining != 499 || page.RateLimit.Reset.IsZero() {
		t.Errorf("RateLimit = %+v", page.RateLimit)
	}

	unnamed, err := c.ListPeople(ctx, wrapper.ListOptions{NameStatus: wrapper.NameStatusUnnamed, Status: wrapper.StatusHidden})
	if err != nil {
		t.Fatal(err)
	}
	if len(unnamed.People) != 1 || unnamed.People[0].Name != "" || unnamed.People[0].Thumbnail != nil {
		t.Errorf("unnamed hidden people = %+v, want one with no name and no thumbnail", unnamed.People)
	}
}

func TestDecodingKeepsUnknownValuesAndMapsNulls(t *testing.T) {
	noLeaks(t)
	srv := newServer(t, jsonBody(200, `{
		"people": [{
			"id": "p1", "name": null, "status": "archived", "face_count": 12,
			"thumbnail": {"asset_id": "a1", "bounding_box": [1, 2, 3, 4], "url": "https://x/y.jpg", "resource_type": "image",
				"type": "upload", "public_id": "y", "version": 1718000000, "format": "jpg"},
			"created_at": "2024-06-10T09:13:20Z", "updated_at": "2024-06-12T15:02:44+02:00", "new_field": {"nested": [1]}
		}, {"id": "p2", "name": "Bo", "status": "active", "thumbnail": {"asset_id": "a2", "bounding_box": [1, 2, 3]}}],
		"next_cursor": "abc", "total": 99
	}`))
	page, err := srv.client(t).ListPeople(ctx, wrapper.ListOptions{})
	if err != nil {
		t.Fatalf("unknown properties or enum values failed decoding: %v", err)
	}
	p := page.People[0]
	if p.Name != "" || p.Status != "archived" {
		t.Errorf("name=%q status=%q, want empty name and the unknown status kept", p.Name, p.Status)
	}
	wantBox := wrapper.BoundingBox{X: 1, Y: 2, Width: 3, Height: 4}
	if p.Thumbnail == nil || p.Thumbnail.BoundingBox == nil || *p.Thumbnail.BoundingBox != wantBox {
		t.Fatalf("thumbnail = %+v, want bounding box %+v", p.Thumbnail, wantBox)
	}
	want := wrapper.Thumbnail{AssetID: "a1", BoundingBox: p.Thumbnail.BoundingBox, URL: "https://x/y.jpg", ResourceType: "image", Type: "upload", PublicID: "y", Version: 1718000000}
	if *p.Thumbnail != want {
		t.Errorf("thumbnail = %+v, want %+v", *p.Thumbnail, want)
	}
	if !p.UpdatedAt.Equal(time.Date(2024, 6, 12, 13, 2, 44, 0, time.UTC)) {
		t.Errorf("UpdatedAt = %v", p.UpdatedAt)
	}
	if b := page.People[1].Thumbnail.BoundingBox; b != nil {
		t.Errorf("a three-number bounding box became %+v, want nil", b)
	}
	if page.NextCursor != "abc" {
		t.Errorf("NextCursor = %q", page.NextCursor)
	}
}

func TestGetUpdateAndInspect(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	c := s.Client()
	first, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	id, other := first.People[0].ID, first.People[1].ID

	got, err := c.GetPerson(ctx, id)
	if err != nil || got.ID != id || got.Name != first.People[0].Name {
		t.Fatalf("GetPerson = %+v, %v", got, err)
	}

	up, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Status: wrapper.StatusHidden})
	if err != nil || up.ID != id || up.Status != wrapper.StatusHidden || up.Name != got.Name {
		t.Fatalf("UpdatePerson = %+v, %v", up, err)
	}
	reqs := s.Requests()
	if body := string(reqs[len(reqs)-1].Body); body != `{"status":"hidden"}` {
		t.Errorf("update body = %s, want only the status", body)
	}
	if now, _ := s.Person(id); now.Status != wrapper.StatusHidden || !now.UpdatedAt.After(got.UpdatedAt) {
		t.Errorf("server state after update = %+v", now)
	}

	if _, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Name: "Renamed", ThumbnailAssetID: got.Thumbnail.AssetID}); err != nil {
		t.Fatal(err)
	}
	reqs = s.Requests()
	var sent map[string]any
	json.Unmarshal(reqs[len(reqs)-1].Body, &sent)
	if len(sent) != 2 || sent["name"] != "Renamed" || sent["thumbnail_asset_id"] != got.Thumbnail.AssetID {
		t.Errorf("update body = %v, want name and thumbnail_asset_id only", sent)
	}

	// The API refuses a thumbnail that shows someone else.
	otherPerson, _ := s.Person(other)
	_, err = c.UpdatePerson(ctx, id, wrapper.PersonUpdate{ThumbnailAssetID: otherPerson.Thumbnail.AssetID})
	var apiErr *wrapper.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, wrapper.ErrValidation) || !strings.Contains(apiErr.Message, "does not contain a face") {
		t.Errorf("foreign thumbnail: err = %v, want 400 with the API's message", err)
	}

	perms, err := c.InspectPeoplePermissions(ctx, []string{id, "no-such-person"}, "read", "update")
	if err != nil {
		t.Fatal(err)
	}
	if !perms.Allowed(id, "read") || !perms.Allowed(id, "update") || perms.Allowed("no-such-person", "read") || perms.Allowed(id, "delete") {
		t.Errorf("permissions = %v", perms)
	}
	reqs = s.Requests()
	var inspect struct {
		Inspections struct {
			Person struct {
				Items   map[string]string
				Actions map[string]map[string]any
			}
		}
	}
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &inspect); err != nil {
		t.Fatal(err)
	}
	if p := inspect.Inspections.Person; len(p.Items) != 2 || len(p.Actions) != 2 || p.Actions["read"] == nil {
		t.Errorf("inspect body = %s", reqs[len(reqs)-1].Body)
	}
}

func TestInspectUsesThePermissionsTheServerAnswers(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t, peopletest.WithPermissions(func(_, action string) bool { return action == "read" }))
	people := s.People()
	perms, err := s.Client().InspectPeoplePermissions(ctx, []string{people[0].ID}, "read", "update")
	if err != nil {
		t.Fatal(err)
	}
	if !perms.Allowed(people[0].ID, "read") || perms.Allowed(people[0].ID, "update") {
		t.Errorf("permissions = %v, want read only", perms)
	}
}

func TestInputIsCheckedBeforeAnythingIsSent(t *testing.T) {
	noLeaks(t)
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
			if err := call(); !errors.Is(err, wrapper.ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	if n := s.RequestCount(); n != 0 {
		t.Errorf("%d requests reached the server; invalid input must be refused before sending", n)
	}
	// 255 characters is the limit, not the byte count.
	people := s.People()
	if _, err := c.UpdatePerson(ctx, people[0].ID, wrapper.PersonUpdate{Name: strings.Repeat("é", 255)}); err != nil {
		t.Errorf("255-character name: %v", err)
	}
}

func TestPersonIDsAreEscapedIntoOnePathSegment(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	c := s.Client()
	for _, id := range []string{"a/b", "../../admin", "x?max_results=1", "frag#ment", "..%2F", "sp ace", "ü/..", "a/../b"} {
		_, err := c.GetPerson(ctx, id)
		if !errors.Is(err, wrapper.ErrNotFound) {
			t.Errorf("GetPerson(%q): err = %v, want ErrNotFound from the server", id, err)
		}
		var apiErr *wrapper.APIError
		if errors.As(err, &apiErr) && !strings.HasSuffix(apiErr.Message, id) {
			t.Errorf("GetPerson(%q): server looked up %q", id, apiErr.Message)
		}
		reqs := s.Requests()
		last := reqs[len(reqs)-1]
		if !strings.HasPrefix(last.Path, "/v1_1/"+s.CloudName+"/people/") || strings.Count(last.Path, "/") != 4 || len(last.Query) != 0 {
			t.Errorf("GetPerson(%q) requested %q?%v, want one escaped segment under /people/", id, last.Path, last.Query)
		}
	}
}

func TestUserAgent(t *testing.T) {
	noLeaks(t)
	srv := newServer(t, jsonBody(200, onePerson))
	if _, err := srv.client(t, wrapper.WithUserAgent("my-app/2.0")).GetPerson(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	ua := srv.Calls()[0].Header.Get("User-Agent")
	if !strings.HasPrefix(ua, "cloudinary-people-go/"+wrapper.Version) || !strings.HasSuffix(ua, " my-app/2.0") {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestGeneratedEscapeHatchSharesAuth(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	resp, err := s.Client().Generated().GetPersonWithResponse(ctx, s.CloudName, s.People()[0].ID)
	if err != nil || resp.StatusCode() != 200 || resp.JSON200 == nil {
		t.Fatalf("Generated().GetPersonWithResponse = %v, %v", resp, err)
	}
	if p := wrapper.PersonFromDetails(&resp.JSON200.Person); p.ID != s.People()[0].ID {
		t.Errorf("PersonFromDetails = %+v", p)
	}
}
