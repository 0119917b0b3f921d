package peopletest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestACursorAloneContinuesItsWalk(t *testing.T) {
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
