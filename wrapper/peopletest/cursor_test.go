package peopletest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestACursorAloneContinuesItsWalk(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(40))
	c := s.Client()
	filtered := wrapper.ListOptions{MaxResults: 5, NameStatus: wrapper.NameStatusNamed, SortBy: wrapper.SortByCreatedAt, Direction: wrapper.DirectionDesc}
	first, err := c.ListPeople(ctx, filtered)
	require.NoError(t, err)
	require.NotEmpty(t, first.NextCursor)

	alone, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 5, NextCursor: first.NextCursor})
	require.NoError(t, err)
	filtered.NextCursor = first.NextCursor
	repeated, err := c.ListPeople(ctx, filtered)
	require.NoError(t, err)
	assert.Equal(t, repeated.People, alone.People, "the cursor alone gives the page the filters give")
	require.Len(t, alone.People, 5)
	last := first.People[len(first.People)-1]
	for _, p := range alone.People {
		assert.NotEmpty(t, p.Name, "named only")
		assert.True(t, p.CreatedAt.Before(last.CreatedAt), "newest first, after the first page")
	}

	t.Run("a walk of cursors alone sees everyone once", func(t *testing.T) {
		seen := map[string]int{}
		opts := wrapper.ListOptions{MaxResults: 7, NameStatus: wrapper.NameStatusUnnamed, SortBy: wrapper.SortByUpdatedAt, Direction: wrapper.DirectionDesc}
		for {
			page, err := c.ListPeople(ctx, opts)
			require.NoError(t, err)
			for _, p := range page.People {
				assert.Empty(t, p.Name)
				seen[p.ID]++
			}
			if page.NextCursor == "" {
				break
			}
			opts = wrapper.ListOptions{MaxResults: 7, NextCursor: page.NextCursor}
		}
		assert.Len(t, seen, 10, "one in four of 40 is unnamed")
		for id, n := range seen {
			assert.Equal(t, 1, n, id)
		}
	})
}

func TestACursorWithOtherFiltersIsRefused(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := quietServer(t, peopletest.WithGeneratedPeople(40))
	c := s.Client()
	first, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 5, NameStatus: wrapper.NameStatusNamed, SortBy: wrapper.SortByCreatedAt})
	require.NoError(t, err)
	for _, tc := range []struct {
		param, value string
	}{
		{"sort_by", "name"},
		{"direction", "desc"},
		{"name_status", "unnamed"},
		{"status", "hidden"},
		{"name_prefix", "Person 1"},
	} {
		t.Run(tc.param, func(t *testing.T) {
			q := url.Values{"next_cursor": {first.NextCursor}, tc.param: {tc.value}}
			resp, body := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?"+q.Encode(), "")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Contains(t, body, tc.param)
		})
	}
	t.Run("the same filters repeated are fine", func(t *testing.T) {
		q := url.Values{"next_cursor": {first.NextCursor}, "name_status": {"named"}, "sort_by": {"created_at"}, "direction": {"asc"}, "max_results": {"3"}}
		resp, _ := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?"+q.Encode(), "")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
}

// walk ranges over every person with opts, calling during after each
// person; it returns how often each ID was seen.
func walk(t *testing.T, c *wrapper.Client, opts wrapper.ListOptions, during func(p wrapper.Person)) map[string]int {
	ctx := t.Context()
	t.Helper()
	seen := map[string]int{}
	for p, err := range c.AllPeople(ctx, opts) {
		require.NoError(t, err)
		seen[p.ID]++
		during(p)
	}
	return seen
}

func TestFakeCursorsSurviveChangesMidWalk(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	t.Run("walking by updated_at while updating each person seen", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(50))
		c := s.Client()
		seen := walk(t, c, wrapper.ListOptions{MaxResults: 5, SortBy: wrapper.SortByUpdatedAt}, func(p wrapper.Person) {
			_, err := c.UpdatePerson(ctx, p.ID, wrapper.PersonUpdate{Status: wrapper.StatusHidden})
			require.NoError(t, err)
		})
		// Each update moves the person to the end of the order, where the
		// walk may meet them again; no one may be skipped.
		assert.Len(t, seen, 50, "people skipped")
	})
	t.Run("naming the unnamed while walking name_status=unnamed", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(80))
		c := s.Client()
		unnamed := 0
		for _, p := range s.People() {
			if p.Name == "" {
				unnamed++
			}
		}
		require.Equal(t, 20, unnamed)
		n := 0
		seen := walk(t, c, wrapper.ListOptions{MaxResults: 3, NameStatus: wrapper.NameStatusUnnamed}, func(p wrapper.Person) {
			n++
			_, err := c.UpdatePerson(ctx, p.ID, wrapper.PersonUpdate{Name: fmt.Sprintf("Named %d", n)})
			require.NoError(t, err)
		})
		assert.Len(t, seen, 20)
		for id, times := range seen {
			assert.Equal(t, 1, times, id)
		}
	})
	t.Run("people who do not change are seen exactly once", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(60))
		c := s.Client()
		all := s.People()
		i := 0
		seen := walk(t, c, wrapper.ListOptions{MaxResults: 7, SortBy: wrapper.SortByName, Direction: wrapper.DirectionDesc}, func(wrapper.Person) {
			// Rename someone at the far end of the list, each time.
			i++
			_, err := c.UpdatePerson(ctx, all[i%len(all)].ID, wrapper.PersonUpdate{Name: fmt.Sprintf("Aaa %02d", i)})
			require.NoError(t, err)
		})
		changed := map[string]bool{}
		for j := 1; j <= i; j++ {
			changed[all[j%len(all)].ID] = true
		}
		for _, p := range all {
			if !changed[p.ID] {
				assert.Equal(t, 1, seen[p.ID], "unchanged %s (%q)", p.ID, p.Name)
			}
		}
	})
}

func TestATamperedCursorIsRefusedAsTheParameterWouldBe(t *testing.T) {
	t.Parallel()
	s := quietServer(t, peopletest.WithGeneratedPeople(30))
	list := "/v1_1/" + s.CloudName + "/people"
	_, body := call(t, s, http.MethodGet, list+"?max_results=5&status=active", "")
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &page))
	raw, err := base64.RawURLEncoding.DecodeString(page.NextCursor)
	require.NoError(t, err)
	for _, field := range []string{"st", "ns", "sb", "d"} {
		t.Run(field+" set to junk", func(t *testing.T) {
			var c map[string]any
			require.NoError(t, json.Unmarshal(raw, &c))
			c["q"].(map[string]any)[field] = "junk"
			b, _ := json.Marshal(c)
			resp, body := call(t, s, http.MethodGet, list+"?max_results=5&next_cursor="+base64.RawURLEncoding.EncodeToString(b), "")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Contains(t, body, "Invalid next_cursor value")
		})
	}
}

func TestDatesOutsideTheNanosecondRangeSortInOrder(t *testing.T) {
	t.Parallel()
	years := []int{2300, 1600, 9999, 2024, 1}
	var people []wrapper.Person
	for i, y := range years {
		people = append(people, wrapper.Person{ID: fmt.Sprintf("p%d", i), Name: fmt.Sprintf("P%d", i), Status: wrapper.StatusActive,
			CreatedAt: time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC)})
	}
	s := quietServer(t, peopletest.WithPeople(people...))
	for _, sortBy := range []wrapper.SortBy{wrapper.SortByCreatedAt, wrapper.SortByUpdatedAt} {
		t.Run(string(sortBy), func(t *testing.T) {
			var got []int
			for p, err := range s.Client().AllPeople(t.Context(), wrapper.ListOptions{SortBy: sortBy, MaxResults: 2}) {
				require.NoError(t, err)
				got = append(got, p.CreatedAt.Year())
			}
			assert.Equal(t, []int{1, 1600, 2024, 2300, 9999}, got)
		})
	}
}
