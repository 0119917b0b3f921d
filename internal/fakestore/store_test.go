package fakestore_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
)

func allowAll(string, string) bool { return true }

func loaded(t *testing.T, seed fakestore.Seed) *fakestore.Store {
	t.Helper()
	s := fakestore.New(50, allowAll)
	s.Load(seed, nil)
	return s
}

func ptr[T any](v T) *T { return &v }

// list answers one list call, failing the test on anything but a page.
func list(t *testing.T, s *fakestore.Store, p generated.ListPeopleParams) generated.PeoplePage {
	t.Helper()
	resp, err := s.ListPeople(t.Context(), server.ListPeopleRequestObject{Params: p})
	require.NoError(t, err)
	page, ok := resp.(server.ListPeople200JSONResponse)
	require.True(t, ok, "want a page, got %#v", resp)
	return page.Body
}

// refusal is the message of a list call the store refuses with 400.
func refusal(t *testing.T, s *fakestore.Store, p generated.ListPeopleParams) string {
	t.Helper()
	resp, err := s.ListPeople(t.Context(), server.ListPeopleRequestObject{Params: p})
	require.NoError(t, err)
	bad, ok := resp.(server.ListPeople400JSONResponse)
	require.True(t, ok, "want a 400, got %#v", resp)
	return bad.Body.Error.Message
}

// walk follows cursors from p to the end.
func walk(t *testing.T, s *fakestore.Store, p generated.ListPeopleParams) []generated.PersonDetails {
	t.Helper()
	var out []generated.PersonDetails
	for range 1000 {
		page := list(t, s, p)
		out = append(out, page.People...)
		if page.NextCursor == "" {
			return out
		}
		p = generated.ListPeopleParams{NextCursor: ptr(page.NextCursor), MaxResults: p.MaxResults}
	}
	t.Fatal("the walk never ended")
	return nil
}

func TestAnEmptySeedIsTheDefaultCast(t *testing.T) {
	s := loaded(t, fakestore.Seed{})
	assert.Equal(t, len(fakestore.DefaultPeople()), s.Len())
	assert.Len(t, s.All(), s.Len())
}

func TestWalksSeeEveryoneOnceInOrder(t *testing.T) {
	s := loaded(t, fakestore.Seed{Generated: 1234})
	for _, sortBy := range generated.SortByValues() {
		for _, dir := range generated.DirectionValues() {
			t.Run(fmt.Sprintf("%s %s", sortBy, dir), func(t *testing.T) {
				got := walk(t, s, generated.ListPeopleParams{SortBy: ptr(sortBy), Direction: ptr(dir), MaxResults: ptr(97)})
				require.Len(t, got, 1234)
				seen := map[string]bool{}
				for _, p := range got {
					assert.False(t, seen[p.ID], "%s seen twice", p.ID)
					seen[p.ID] = true
				}
				// The sort key alone; ties may come in any order.
				sorted := slices.IsSortedFunc(got, func(a, b generated.PersonDetails) int {
					c := compareNamed(a, b)
					switch sortBy {
					case generated.SortByCreatedAt:
						c = a.CreatedAt.Compare(b.CreatedAt)
					case generated.SortByUpdatedAt:
						c = a.UpdatedAt.Compare(b.UpdatedAt)
					}
					if dir == generated.DirectionDesc {
						c = -c
					}
					return c
				})
				assert.True(t, sorted)
			})
		}
	}
}

// compareNamed orders named people by name, ignoring case, and puts the
// unnamed after them, as the name sort does ascending.
func compareNamed(a, b generated.PersonDetails) int {
	named := func(p generated.PersonDetails) bool { return p.Name != nil && *p.Name != "" }
	switch {
	case named(a) && named(b):
		return apirules.CompareNames(*a.Name, *b.Name)
	case named(a):
		return -1
	case named(b):
		return 1
	}
	return 0
}

func TestFiltersHoldAcrossPages(t *testing.T) {
	s := loaded(t, fakestore.Seed{Generated: 500})
	t.Run("status", func(t *testing.T) {
		got := walk(t, s, generated.ListPeopleParams{Status: ptr(generated.PersonStatusHidden), MaxResults: ptr(7)})
		require.NotEmpty(t, got)
		for _, p := range got {
			assert.Equal(t, generated.PersonStatusHidden, p.Status)
		}
	})
	t.Run("name prefix, ignoring case", func(t *testing.T) {
		got := walk(t, s, generated.ListPeopleParams{NamePrefix: ptr("PERSON 0001"), MaxResults: ptr(3)})
		require.NotEmpty(t, got)
		for _, p := range got {
			require.NotNil(t, p.Name)
			assert.True(t, apirules.HasNamePrefix(*p.Name, "person 0001"), *p.Name)
		}
	})
	t.Run("unnamed", func(t *testing.T) {
		got := walk(t, s, generated.ListPeopleParams{NameStatus: ptr(generated.NameStatusUnnamed), MaxResults: ptr(10)})
		require.NotEmpty(t, got)
		for _, p := range got {
			assert.Nil(t, p.Name)
		}
	})
}

func TestCursorsAreChecked(t *testing.T) {
	s := loaded(t, fakestore.Seed{Generated: 30})
	first := list(t, s, generated.ListPeopleParams{Status: ptr(generated.PersonStatusActive), MaxResults: ptr(5)})
	require.NotEmpty(t, first.NextCursor)
	tests := []struct {
		name   string
		params generated.ListPeopleParams
		want   string
	}{
		{"not a cursor", generated.ListPeopleParams{NextCursor: ptr("garbage")}, "Invalid next_cursor value"},
		{"a cursor sent with another filter", generated.ListPeopleParams{NextCursor: ptr(first.NextCursor), Status: ptr(generated.PersonStatusHidden)}, "status"},
		{"a page size out of bounds", generated.ListPeopleParams{MaxResults: ptr(0)}, "max_results"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, refusal(t, s, tt.params), tt.want)
		})
	}
	t.Run("an empty cursor is no cursor", func(t *testing.T) {
		got := list(t, s, generated.ListPeopleParams{NextCursor: ptr(""), MaxResults: ptr(5)})
		assert.Len(t, got.People, 5)
	})
}

func TestAnUpdateMovesThePersonInItsWalks(t *testing.T) {
	s := loaded(t, fakestore.Seed{Generated: 200})
	before := list(t, s, generated.ListPeopleParams{MaxResults: ptr(1)}).People[0]
	resp, err := s.UpdatePerson(t.Context(), server.UpdatePersonRequestObject{PersonID: before.ID,
		Body: &generated.UpdatePersonRequest{Name: "zzz last"}})
	require.NoError(t, err)
	require.IsType(t, server.UpdatePerson200JSONResponse{}, resp)
	named := walk(t, s, generated.ListPeopleParams{NameStatus: ptr(generated.NameStatusNamed), MaxResults: ptr(100)})
	last := named[len(named)-1]
	assert.Equal(t, before.ID, last.ID)
	assert.Equal(t, "zzz last", *last.Name)
	p, ok := s.Person(before.ID)
	require.True(t, ok)
	assert.True(t, p.UpdatedAt.After(before.UpdatedAt))
}

func TestDatesOfAnyYearSort(t *testing.T) {
	people := []generated.PersonDetails{
		{ID: "c", Status: generated.PersonStatusActive, CreatedAt: time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "a", Status: generated.PersonStatusActive, CreatedAt: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "b", Status: generated.PersonStatusActive, CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC)},
	}
	s := loaded(t, fakestore.Seed{People: people})
	got := walk(t, s, generated.ListPeopleParams{SortBy: ptr(generated.SortByCreatedAt), MaxResults: ptr(1)})
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
}
