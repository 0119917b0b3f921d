// Contract checks that the live People API still matches openapi.yaml: it
// makes read-only calls (list a page, get the first person) through
// peopletest.ValidatingTransport and reports any drift. It writes nothing
// unless -write is given, and then only renames the first person to the
// name they already have.
//
//	CLOUDINARY_URL=cloudinary://... go run ./examples/contract
//	go run ./examples/contract -fake
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func main() {
	write := flag.Bool("write", false, "also check updatePerson, by renaming the first named person to their current name")
	flag.Parse()
	if !*setup.Fake && os.Getenv("CLOUDINARY_URL") == "" {
		fmt.Println("contract: SKIPPED: CLOUDINARY_URL is not set, so there is no live API to check.")
		fmt.Println("Set CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name> to check the live API against openapi.yaml, or pass -fake.")
		return
	}
	hc := &http.Client{Transport: peopletest.ValidatingTransport(http.DefaultTransport)}
	client, _, done := setup.Client(wrapper.WithHTTPClient(hc), wrapper.WithMaxRetries(1))
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var drift int
	check := func(what string, err error) {
		var cerr *peopletest.ContractError
		switch {
		case errors.As(err, &cerr):
			drift++
			fmt.Printf("DRIFT  %s: %s\n", what, cerr.Rule)
		case err != nil:
			fmt.Printf("ERROR  %s: %v\n", what, err)
			drift++
		default:
			fmt.Printf("ok     %s\n", what)
		}
	}

	page, err := client.ListPeople(ctx, wrapper.ListOptions{MaxResults: 10})
	check("listPeople (max_results=10)", err)
	if err == nil && len(page.People) > 0 {
		first := page.People[0]
		_, err := client.GetPerson(ctx, first.ID)
		check("getPerson (first person)", err)
		_, err = client.InspectPeoplePermissions(ctx, []string{first.ID}, "read")
		check("inspectPeoplePermissions (read)", err)
		if *write && first.Name != "" {
			_, err := client.UpdatePerson(ctx, first.ID, wrapper.PersonUpdate{Name: first.Name})
			check("updatePerson (same name)", err)
		}
	}
	_, err = client.GetPerson(ctx, "0000000000000000000000000000000000000000000000000000000000000000")
	if errors.Is(err, wrapper.ErrNotFound) {
		err = nil // the 404 answer itself was checked against the spec
	}
	check("getPerson (unknown ID, 404 error body)", err)

	if drift > 0 {
		fmt.Printf("%d check(s) found drift between the API and openapi.yaml\n", drift)
		os.Exit(1)
	}
	fmt.Println("No drift: every request and response matched openapi.yaml.")
}
