// Update renames a person, hides them and changes their thumbnail.
//
// With -fake and no -person it names and hides the fake's first unnamed
// person. The fake's IDs are the same on every run: `go run
// ./examples/quickstart -fake` prints some, to use with -person. Against a
// real account it changes only what you ask for, on the person you name:
//
//	go run ./examples/update -fake -person <id from quickstart -fake> -name "Jane Doe"
//	go run ./examples/update -person <id> -name "Jane Doe"
//	go run ./examples/update -person <id> -status hidden
//	go run ./examples/update -person <id> -thumbnail <asset_id>
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

func main() {
	personID := flag.String("person", "", "ID of the person to update (required against a real account; with -fake, `go run ./examples/quickstart -fake` lists IDs)")
	name := flag.String("name", "", "new name")
	status := flag.String("status", "", "new status: active or hidden")
	thumbnail := flag.String("thumbnail", "", "asset ID of an asset showing this person's face")
	client, srv, done := setup.Client()
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	update := wrapper.PersonUpdate{Name: *name, Status: wrapper.Status(*status), ThumbnailAssetID: *thumbnail}
	if srv != nil && *personID == "" {
		// Demo: name the first unnamed person, and hide them.
		page, err := client.ListPeople(ctx, wrapper.ListOptions{NameStatus: wrapper.NameStatusUnnamed, MaxResults: 1})
		if err != nil {
			setup.Fatal(err)
		}
		*personID = page.People[0].ID
		update = wrapper.PersonUpdate{Name: "Hedy Lamarr", Status: wrapper.StatusHidden}
	}
	if *personID == "" {
		fmt.Fprintln(os.Stderr, "-person is required: this example changes live data only for the person you name")
		os.Exit(2)
	}

	before, err := client.GetPerson(ctx, *personID)
	if err != nil {
		setup.Fatal(err)
	}
	fmt.Printf("Before: %s, %s\n", setup.Name(*before), before.Status)

	updated, err := client.UpdatePerson(ctx, *personID, update)
	if errors.Is(err, wrapper.ErrInvalidInput) {
		fmt.Fprintln(os.Stderr, "nothing sent:", err)
		os.Exit(2)
	}
	if err != nil {
		setup.Fatal(err)
	}
	fmt.Printf("After:  %s, %s\n", updated.Name, updated.Status)

	if srv != nil && before.Thumbnail != nil {
		// A thumbnail must show this person's face; the API says so otherwise.
		_, err := client.UpdatePerson(ctx, *personID, wrapper.PersonUpdate{ThumbnailAssetID: "some-other-asset"})
		fmt.Println("Thumbnail from an asset without their face:", err)
	}
}
