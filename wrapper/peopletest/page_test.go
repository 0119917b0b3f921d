package peopletest_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// model is what a walk must return, worked out from the people alone: the
// filters applied and the documented order (named people by name ignoring
// case, then the unnamed; ties and the unnamed by ID; desc reverses all).
func model(people []wrapper.Person, o wrapper.ListOptions) []string {
	var out []wrapper.Person
	for _, p := range people {
		switch {
		case o.NameStatus == wrapper.NameStatusNamed && p.Name == "",
			o.NameStatus == wrapper.NameStatusUnnamed && p.Name != "",
			o.NamePrefix != "" && !strings.HasPrefix(strings.ToLower(p.Name), strings.ToLower(o.NamePrefix)),
			o.Status != "" && p.Status != o.Status:
			continue
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b wrapper.Person) int {
		c := 0
		switch o.SortBy {
		case wrapper.SortByCreatedAt:
			c = a.CreatedAt.Compare(b.CreatedAt)
		case wrapper.SortByUpdatedAt:
			c = a.UpdatedAt.Compare(b.UpdatedAt)
		default:
			switch {
			case a.Name != "" && b.Name == "":
				c = -1
			case a.Name == "" && b.Name != "":
				c = 1
			default:
				c = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
			}
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if o.Direction == wrapper.DirectionDesc {
			c = -c
		}
		return c
	})
	var ids []string
	for _, p := range out {
		ids = append(ids, p.ID)
	}
	return ids
}

// The indexes against the model: updates (names, statuses, so updated_at
// ties), then every kind of query walked page by page with a random page
// size, compared with the model in full. The concentrated run renames
// 1,100 updates' worth of people into one corner of the name order, so
// that the index's first block (512 entries when built) splits.
func TestPagesMatchTheModelAfterUpdates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		people, updates int
		rename          func(rng *rand.Rand, i int) string
		sorts           []wrapper.SortBy // the orders the updates move people in
	}{
		{"spread", 600, 150, func(rng *rand.Rand, i int) string {
			return fmt.Sprintf("%c%s %d", 'A'+rune(rng.IntN(6)), []string{"lice", "ob", "LICE"}[rng.IntN(3)], i)
		}, []wrapper.SortBy{"", wrapper.SortByCreatedAt, wrapper.SortByUpdatedAt}},
		{"concentrated", 1200, 1100, func(rng *rand.Rand, i int) string { return fmt.Sprintf("Aa %04d", rng.IntN(10000)) },
			[]wrapper.SortBy{"", wrapper.SortByUpdatedAt}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Paging is under test here, not the contract: no check per call.
			s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(tc.people), peopletest.WithoutValidation())
			c := s.Client()
			rng := rand.New(rand.NewPCG(1, 2))
			people := s.People()
			order := rng.Perm(len(people)) // each update a different person
			for i := range tc.updates {
				p := people[order[i%len(order)]]
				u := wrapper.PersonUpdate{Name: tc.rename(rng, i)}
				if rng.IntN(3) == 0 {
					u.Status = []wrapper.Status{wrapper.StatusActive, wrapper.StatusHidden}[rng.IntN(2)]
				}
				_, err := c.UpdatePerson(t.Context(), p.ID, u)
				require.NoError(t, err)
			}
			checkQueries(t, c, s.People(), rng, tc.sorts)
		})
	}
}

func checkQueries(t *testing.T, c *wrapper.Client, all []wrapper.Person, rng *rand.Rand, sorts []wrapper.SortBy) {
	for _, by := range sorts {
		for _, dir := range []wrapper.Direction{"", wrapper.DirectionDesc} {
			for _, f := range []wrapper.ListOptions{
				{}, {NameStatus: wrapper.NameStatusNamed}, {NameStatus: wrapper.NameStatusUnnamed},
				{Status: wrapper.StatusHidden}, {NamePrefix: "a"}, {NamePrefix: "Person 0001"}, {NamePrefix: "zz"},
				{NamePrefix: "b", Status: wrapper.StatusActive}, {NameStatus: wrapper.NameStatusUnnamed, NamePrefix: "a"},
			} {
				o := f
				o.SortBy, o.Direction, o.MaxResults = by, dir, 1+rng.IntN(100)
				t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) {
					// The walks only read: they may run side by side.
					t.Parallel()
					var got []string
					for p, err := range c.AllPeople(t.Context(), o) {
						require.NoError(t, err)
						got = append(got, p.ID)
					}
					assert.Equal(t, model(all, o), got)
				})
			}
		}
	}
}
