// Quickstart lists the first page of people and reads the first person.
//
//	go run ./examples/quickstart          # uses CLOUDINARY_URL
//	go run ./examples/quickstart -fake    # uses the bundled fake People API
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

func main() {
	client, _, done := setup.Client()
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	page, err := client.ListPeople(ctx, wrapper.ListOptions{MaxResults: 5})
	if err != nil {
		setup.Fatal(err)
	}
	fmt.Printf("First %d people (rate limit: %d of %d left this hour):\n", len(page.People), page.RateLimit.Remaining, page.RateLimit.Limit)
	for _, p := range page.People {
		fmt.Printf("  %-20s %-7s %s\n", setup.Name(p), p.Status, p.ID)
	}
	if page.NextCursor != "" {
		fmt.Println("  … more on the next page")
	}
	if len(page.People) == 0 {
		fmt.Println("No people yet: upload some photos with faces first.")
		return
	}

	person, err := client.GetPerson(ctx, page.People[0].ID)
	if err != nil {
		setup.Fatal(err)
	}
	fmt.Printf("\n%s, created %s\n", setup.Name(*person), person.CreatedAt.Format(time.DateOnly))
	if t := person.Thumbnail; t != nil {
		fmt.Printf("  thumbnail: %s\n", t.URL)
		if b := t.BoundingBox; b != nil {
			fmt.Printf("  face at x=%d y=%d, %dx%d px\n", b.X, b.Y, b.Width, b.Height)
		}
	}
}
