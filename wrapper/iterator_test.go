package wrapper_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestAllPeopleWalksEveryPageKeepingFilters(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(250))
	opts := wrapper.ListOptions{MaxResults: 40, NameStatus: wrapper.NameStatusNamed, Status: wrapper.StatusActive, SortBy: wrapper.SortByCreatedAt, Direction: wrapper.DirectionDesc}
	var got []wrapper.Person
	for p, err := range s.Client().AllPeople(ctx, opts) {
		require.NoError(t, err)
		got = append(got, p)
	}
	want := 0
	for _, p := range s.People() {
		if p.Name != "" && p.Status == wrapper.StatusActive {
			want++
		}
	}
	require.Len(t, got, want)
	seen := map[string]bool{}
	for i, p := range got {
		require.False(t, seen[p.ID], "person %s yielded twice", p.ID)
		seen[p.ID] = true
		assert.NotEmpty(t, p.Name, "person %d breaks the filters", i)
		assert.Equal(t, wrapper.StatusActive, p.Status, "person %d breaks the filters", i)
		if i > 0 {
			assert.False(t, p.CreatedAt.After(got[i-1].CreatedAt), "person %d breaks the order", i)
		}
	}
	reqs := s.Requests()
	assert.Len(t, reqs, (want+39)/40, "one request a page")
	for i, r := range reqs {
		q := r.Query
		for param, value := range map[string]string{"max_results": "40", "name_status": "named", "status": "active", "sort_by": "created_at", "direction": "desc"} {
			assert.Equal(t, value, q.Get(param), "page %d lost %s", i, param)
		}
		assert.Equal(t, i == 0, q.Get("next_cursor") == "", "page %d cursor = %q", i, q.Get("next_cursor"))
	}
}

func TestAllPeopleIsLazyAndStopsWhenTheLoopBreaks(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(500))
	seq := s.Client().AllPeople(ctx, wrapper.ListOptions{MaxResults: 10})
	require.Zero(t, s.RequestCount(), "requests before the loop started")
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 2, s.RequestCount(), "15 people at 10 a page")
}

func TestAllPeopleYieldsTheErrorOnceAndStops(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
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
			assert.Zero(t, p, "an error comes with the zero Person")
			continue // a caller that ignores the error must not loop
		}
		people++
	}
	assert.Equal(t, 10, people)
	assert.Equal(t, 1, errs)
	assert.ErrorIs(t, last, wrapper.ErrFeatureNotEnabled)
	assert.Equal(t, 2, s.RequestCount())
}

func TestAllPeopleDetectsARepeatedCursor(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	cases := []struct {
		name    string
		start   string
		cursors []string
	}{
		{"same cursor twice", "", []string{"A", "A"}},
		{"cycle back to first", "", []string{"A", "B", "C", "A"}},
		{"back to the start one", "B", []string{"B"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := 0
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				next := tc.cursors[min(page, len(tc.cursors)-1)]
				page++
				jsonBody(200, fmt.Sprintf(`{"people":[{"id":"p%d","status":"active"}],"next_cursor":%q}`, page, next))(w, r)
			})
			var err error
			n := 0
			for _, e := range srv.client(t).AllPeople(ctx, wrapper.ListOptions{NextCursor: tc.start}) {
				if e != nil {
					err = e
					break
				}
				n++
				require.LessOrEqual(t, n, 100, "the iterator loops")
			}
			assert.ErrorIs(t, err, wrapper.ErrRepeatedCursor)
			assert.LessOrEqual(t, len(srv.Calls()), len(tc.cursors)+1)
		})
	}
}

func TestAllPeopleEmptyPagesWithACursorContinue(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
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
	assert.Equal(t, []string{"p1"}, collectIDs(t, srv.client(t).AllPeople(ctx, wrapper.ListOptions{})))
}

func collectIDs(t *testing.T, seq func(func(wrapper.Person, error) bool)) []string {
	t.Helper()
	var ids []string
	for p, err := range seq {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	return ids
}

func TestAllPeopleSequenceIsReusableAndShareable(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	seq := s.Client().AllPeople(ctx, wrapper.ListOptions{MaxResults: 5})
	want := make([]string, 0, len(s.People()))
	for _, p := range s.People() {
		want = append(want, p.ID)
	}

	t.Run("ranged twice", func(t *testing.T) {
		assert.Equal(t, want, collectIDs(t, seq))
		assert.Equal(t, want, collectIDs(t, seq))
	})
	t.Run("broken off then ranged again", func(t *testing.T) {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			if n++; n == 7 {
				break
			}
		}
		assert.Equal(t, want, collectIDs(t, seq), "the second range must start from the options given")
	})
	t.Run("ranged from several goroutines", func(t *testing.T) {
		var wg sync.WaitGroup
		got := make([][]string, 4)
		for i := range got {
			wg.Go(func() {
				for p, err := range seq {
					if err != nil {
						return
					}
					got[i] = append(got[i], p.ID)
				}
			})
		}
		wg.Wait()
		for i := range got {
			assert.Equal(t, want, got[i], "goroutine %d", i)
		}
	})
}

func TestAllPeopleStopsAfterTooManyEmptyPages(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	var calls atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		jsonBody(200, fmt.Sprintf(`{"people":[],"next_cursor":"fresh-%d"}`, n))(w, r)
	})
	var errs []error
	for p, err := range srv.client(t).AllPeople(ctx, wrapper.ListOptions{}) {
		require.Less(t, len(errs), 2, "the iterator keeps going after its error")
		assert.Zero(t, p)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], wrapper.ErrEmptyPages)
	assert.ErrorContains(t, errs[0], "empty pages")
	assert.EqualValues(t, wrapper.MaxEmptyPages, calls.Load())

	t.Run("a person resets the count", func(t *testing.T) {
		var n atomic.Int64
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			i := n.Add(1)
			switch {
			case i >= 3*wrapper.MaxEmptyPages:
				jsonBody(200, `{"people":[{"id":"last"}]}`)(w, r)
			case i%(wrapper.MaxEmptyPages-1) == 0:
				jsonBody(200, fmt.Sprintf(`{"people":[{"id":"p%d"}],"next_cursor":"c%d"}`, i, i))(w, r)
			default:
				jsonBody(200, fmt.Sprintf(`{"people":[],"next_cursor":"c%d"}`, i))(w, r)
			}
		})
		ids := collectIDs(t, srv.client(t).AllPeople(ctx, wrapper.ListOptions{}))
		assert.Equal(t, "last", ids[len(ids)-1])
	})
}

func TestNullNextCursorEndsTheWalk(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, jsonBody(200, `{"people":[{"id":"p1","name":null}],"next_cursor":null}`))
	c := srv.client(t, wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)}))
	page, err := c.ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err, "null is a valid last-page cursor")
	assert.Equal(t, "", page.NextCursor)
	assert.Equal(t, []string{"p1"}, collectIDs(t, c.AllPeople(ctx, wrapper.ListOptions{})))
}

func TestPagesResumeFromAPagesCursor(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(230))
	c := s.Client()
	opts := wrapper.ListOptions{Status: wrapper.StatusActive, SortBy: wrapper.SortByCreatedAt}

	var whole []string
	pages := 0
	for page, err := range c.Pages(ctx, opts) {
		require.NoError(t, err)
		pages++
		for _, p := range page.People {
			whole = append(whole, p.ID)
		}
	}
	t.Run("with MaxResults 0 it asks for 100 a page", func(t *testing.T) {
		assert.Equal(t, "100", s.Requests()[0].Query.Get("max_results"))
		assert.Equal(t, pages, s.RequestCount())
	})

	t.Run("a walk stopped after a page and resumed from its cursor misses and repeats no one", func(t *testing.T) {
		small := opts
		small.MaxResults = 30
		var first []string
		var checkpoint string
		for page, err := range c.Pages(ctx, small) {
			require.NoError(t, err)
			for _, p := range page.People {
				first = append(first, p.ID)
			}
			checkpoint = page.NextCursor
			if len(first) >= 60 {
				break // the job is killed here
			}
		}
		require.NotEmpty(t, checkpoint)
		resumed := small
		resumed.NextCursor = checkpoint
		before := s.RequestCount()
		rest := first
		for page, err := range c.Pages(ctx, resumed) {
			require.NoError(t, err)
			for _, p := range page.People {
				rest = append(rest, p.ID)
			}
		}
		assert.Equal(t, whole, rest)
		q := s.Requests()[before].Query
		assert.Equal(t, checkpoint, q.Get("next_cursor"), "the resumed walk starts at the checkpoint")
	})

	t.Run("the last page has no cursor and nothing is fetched after a break", func(t *testing.T) {
		var last wrapper.PeoplePage
		for page, err := range c.Pages(ctx, opts) {
			require.NoError(t, err)
			last = page
		}
		assert.Empty(t, last.NextCursor)
		before := s.RequestCount()
		for range c.Pages(ctx, opts) {
			break
		}
		assert.Equal(t, before+1, s.RequestCount())
	})
}

func TestPagesStopOnARepeatedCursorAfterYieldingThePage(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, jsonBody(200, `{"people":[{"id":"p1","status":"active"}],"next_cursor":"same"}`))
	var people int
	var last error
	for page, err := range srv.client(t).Pages(ctx, wrapper.ListOptions{}) {
		if err != nil {
			last = err
			break
		}
		people += len(page.People)
	}
	require.ErrorIs(t, last, wrapper.ErrRepeatedCursor)
	assert.Equal(t, 2, people, "both pages that arrived were yielded")
	assert.Len(t, srv.Calls(), 2)
}
