package peopletest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The fake at the size of a real account: the first page of every kind of
// query, a page right after an update, and a whole walk, at the client on
// loopback, with the fake checking every call against openapi.yaml as
// peoplemock does. `make bench-fake` runs them at 10,000 and 1,000,000
// people; docs/performance.md has the figures.

// fakeSizes are the account sizes compared; BENCH_FAKE_SIZES is not read:
// the sizes are fixed so that runs compare.
var fakeSizes = []int{10_000, 1_000_000}

// fakeQueries are one of each kind of query.
var fakeQueries = []struct {
	name string
	opts wrapper.ListOptions
}{
	{"name_asc", wrapper.ListOptions{}},
	{"name_desc", wrapper.ListOptions{Direction: wrapper.DirectionDesc}},
	{"created_asc", wrapper.ListOptions{SortBy: wrapper.SortByCreatedAt}},
	{"created_desc", wrapper.ListOptions{SortBy: wrapper.SortByCreatedAt, Direction: wrapper.DirectionDesc}},
	{"updated_desc", wrapper.ListOptions{SortBy: wrapper.SortByUpdatedAt, Direction: wrapper.DirectionDesc}},
	{"named", wrapper.ListOptions{NameStatus: wrapper.NameStatusNamed}},
	{"unnamed", wrapper.ListOptions{NameStatus: wrapper.NameStatusUnnamed}},
	{"unnamed_desc", wrapper.ListOptions{NameStatus: wrapper.NameStatusUnnamed, Direction: wrapper.DirectionDesc}},
	{"hidden", wrapper.ListOptions{Status: wrapper.StatusHidden}},
	{"hidden_unnamed_by_updated", wrapper.ListOptions{Status: wrapper.StatusHidden, NameStatus: wrapper.NameStatusUnnamed, SortBy: wrapper.SortByUpdatedAt}},
	{"prefix", wrapper.ListOptions{NamePrefix: "person 0009"}},
	{"prefix_by_created_desc", wrapper.ListOptions{NamePrefix: "person 0009", SortBy: wrapper.SortByCreatedAt, Direction: wrapper.DirectionDesc}},
	{"rare_prefix_by_created", wrapper.ListOptions{NamePrefix: "person 00099", SortBy: wrapper.SortByCreatedAt}},
}

func BenchmarkFakeFirstPage(b *testing.B) {
	ctx := b.Context()
	for _, n := range fakeSizes {
		s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(n))
		c := s.Client()
		for _, q := range fakeQueries {
			b.Run(fmt.Sprintf("people=%d/%s", n, q.name), func(b *testing.B) {
				opts := q.opts
				opts.MaxResults = 100
				for b.Loop() {
					page, err := c.ListPeople(ctx, opts)
					if err != nil || len(page.People) == 0 {
						b.Fatalf("%v, %d people", err, len(page.People))
					}
				}
			})
		}
		s.Close()
	}
}

func BenchmarkFakePageAfterUpdate(b *testing.B) {
	ctx := b.Context()
	for _, n := range fakeSizes {
		s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(n))
		c := s.Client()
		first, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 100, NameStatus: wrapper.NameStatusUnnamed})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				p := first.People[i%len(first.People)]
				i++
				if _, err := c.UpdatePerson(ctx, p.ID, wrapper.PersonUpdate{Name: fmt.Sprintf("Renamed %d", i)}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 100, SortBy: wrapper.SortByUpdatedAt, Direction: wrapper.DirectionDesc}); err != nil {
					b.Fatal(err)
				}
			}
		})
		s.Close()
	}
}

// BenchmarkFakeWalk walks every person of the largest account with
// AllPeople, the fake checking each page against the spec. One walk is one
// op: run it with -benchtime 1x.
func BenchmarkFakeWalk(b *testing.B) {
	ctx := b.Context()
	n := fakeSizes[len(fakeSizes)-1]
	s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(n))
	c := s.Client()
	for b.Loop() {
		start, seen := time.Now(), 0
		for _, err := range c.AllPeople(ctx, wrapper.ListOptions{}) {
			if err != nil {
				b.Fatal(err)
			}
			seen++
		}
		if seen != n {
			b.Fatalf("saw %d of %d people", seen, n)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/walk")
	}
}
