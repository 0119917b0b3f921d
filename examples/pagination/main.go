// Pagination walks every named, active person with AllPeople, which fetches
// one page at a time and keeps the filters on every page.
//
//	go run ./examples/pagination [-fake] [-prefix A] [-page 5]
package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

func main() {
	prefix := flag.String("prefix", "", "only names starting with this")
	pageSize := flag.Int("page", 5, "people per page (1..100)")
	client, srv, done := setup.Client()
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	opts := wrapper.ListOptions{
		MaxResults: *pageSize,
		NameStatus: wrapper.NameStatusNamed,
		NamePrefix: *prefix,
		Status:     wrapper.StatusActive,
		SortBy:     wrapper.SortByCreatedAt,
		Direction:  wrapper.DirectionDesc,
	}
	fmt.Printf("Named, active people, newest first, %d per page:\n", *pageSize)
	n := 0
	for person, err := range client.AllPeople(ctx, opts) {
		if err != nil {
			setup.Fatal(err)
		}
		n++
		fmt.Printf("  %2d. %-20s created %s\n", n, person.Name, person.CreatedAt.Format(time.DateOnly))
	}
	fmt.Print(plural(n, "person", "people"))
	if srv != nil {
		fmt.Print(" in ", plural(srv.RequestCount(), "request", "requests"))
	}
	fmt.Println()
}

// plural says "1 request" or "3 requests".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
