package wrapper_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestAllPeopleWalksEveryPageKeepingFilters(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(250))
	opts := wrapper.ListOptions{MaxResults: 40, NameStatus: wrapper.NameStatusNamed, Status: wrapper.StatusActive, SortBy: wrapper.SortByCreatedAt, Direction: wrapper.DirectionDesc}
	var got []wrapper.Person
	for p, err := range s.Client().AllPeople(ctx, opts) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	want := 0
	for _, p := range s.People() {
		if p.Name != "" && p.Status == wrapper.StatusActive {
			want++
		}
	}
	if len(got) != want {
		t.Fatalf("walked %d people, want %d", len(got), want)
	}
	seen := map[string]bool{}
	for i, p := range got {
		if seen[p.ID] {
			t.Fatalf("person %s yielded twice", p.ID)
		}
		seen[p.ID] = true
		if p.Name == "" || p.Status != wrapper.StatusActive || i > 0 && p.CreatedAt.After(got[i-1].CreatedAt) {
			t.Fatalf("person %d = %+v breaks the filters or the order", i, p)
		}
	}
	reqs := s.Requests()
	if pages := (want + 39) / 40; len(reqs) != pages {
		t.Errorf("%d requests, want %d pages", len(reqs), pages)
	}
	for i, r := range reqs {
		q := r.Query
		if q.Get("max_results") != "40" || q.Get("name_status") != "named" || q.Get("status") != "active" || q.Get("sort_by") != "created_at" || q.Get("direction") != "desc" {
			t.Errorf("page %d lost the filters: %v", i, q)
		}
		if (i == 0) != (q.Get("next_cursor") == "") {
			t.Errorf("page %d cursor = %q", i, q.Get("next_cursor"))
		}
	}
}

func TestAllPeopleIsLazyAndStopsWhenTheLoopBreaks(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(500))
	seq := s.Client().AllPeople(ctx, wrapper.ListOptions{MaxResults: 10})
	if n := s.RequestCount(); n != 0 {
		t.Fatalf("%d requests before the loop started", n)
	}
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 15 {
			break
		}
	}
	if got := s.RequestCount(); got != 2 {
		t.Errorf("%d requests for 15 people at 10 a page, want 2", got)
	}
}

func TestAllPeopleYieldsTheErrorOnceAndStops(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(30))
	c := s.Client(wrapper.WithMaxRetries(0))
	var people, errs int
	var last error
	first := true
	for p, err := range c.AllPeople(ctx, wrapper.ListOptions{MaxResults: 10}) {
		if first {
			s.FailNext(1, http.StatusForbidden) // the second page fails
			first = false
		}
		if err != nil {
			errs++
			last = err
			if p != (wrapper.Person{}) {
				t.Errorf("error yielded with person %+v, want the zero Person", p)
			}
			continue // a caller that ignores the error must not loop
		}
		people++
	}
	if people != 10 || errs != 1 || !errors.Is(last, wrapper.ErrFeatureNotEnabled) {
		t.Errorf("people=%d errors=%d last=%v, want 10 people then one ErrFeatureNotEnabled", people, errs, last)
	}
	if n := s.RequestCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestAllPeopleDetectsARepeatedCursor(t *testing.T) {
	noLeaks(t)
	for name, cursors := range map[string][]string{
		"same cursor twice":     {"A", "A"},
		"cycle back to first":   {"A", "B", "C", "A"},
		"back to the start one": {"B"},
	} {
		t.Run(name, func(t *testing.T) {
			page := 0
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				next := cursors[min(page, len(cursors)-1)]
				page++
				jsonBody(200, fmt.Sprintf(`{"people":[{"id":"p%d","status":"active"}],"next_cursor":%q}`, page, next))(w, r)
			})
			opts := wrapper.ListOptions{}
			if name == "back to the start one" {
				opts.NextCursor = "B"
			}
			var err error
			n := 0
			for _, e := range srv.client(t).AllPeople(ctx, opts) {
				if e != nil {
					err = e
					break
				}
				if n++; n > 100 {
					t.Fatal("the iterator loops")
				}
			}
			if !errors.Is(err, wrapper.ErrRepeatedCursor) {
				t.Errorf("err = %v, want ErrRepeatedCursor", err)
			}
			if calls := len(srv.Calls()); calls > len(cursors)+1 {
				t.Errorf("%d calls for %d cursors", calls, len(cursors))
			}
		})
	}
}

func TestAllPeopleEmptyPagesWithACursorContinue(t *testing.T) {
	noLeaks(t)
	page := 0
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		page++
		switch page {
		case 1:
			jsonBody(200, `{"people":[],"next_cursor":"c1"}`)(w, r)
		default:
			jsonBody(200, `{"people":[{"id":"p1","status":"active"}]}`)(w, r)
		}
	})
	var ids []string
	for p, err := range srv.client(t).AllPeople(ctx, wrapper.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != "p1" {
		t.Errorf("ids = %v", ids)
	}
}
