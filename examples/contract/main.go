// Contract runs the conformance cases derived from openapi.yaml
// (peopletest.Conformance) against the live People API, or with -fake
// against the bundled fake, and prints the report as a table. It sends only
// reads unless -write is given; then the valid updates set a person's
// fields to the values they already have, and the invalid ones are refused
// by the API. It ends with the drift it saw (what the API said beyond
// openapi.yaml) and what to do about each finding, and exits with status 1
// when a case fails.
//
//	CLOUDINARY_URL=cloudinary://... go run ./examples/contract
//	CLOUDINARY_URL=cloudinary://... go run ./examples/contract -write
//	go run ./examples/contract -fake
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func main() {
	write := flag.Bool("write", false, "also run the updatePerson cases (valid ones write each field's current value back)")
	flag.Parse()

	var target peopletest.ConformanceTarget
	switch {
	case *setup.Fake:
		// The negative cases break the contract on purpose; the report
		// says what matters, so the fake's own violation log stays quiet.
		srv := peopletest.NewServer(nil, peopletest.OnViolation(func(*peopletest.ContractError) {}))
		defer srv.Close()
		target = peopletest.ConformanceTarget{BaseURL: srv.URL, CloudName: srv.CloudName, APIKey: srv.APIKey, APISecret: srv.APISecret, Writes: true}
	case os.Getenv("CLOUDINARY_URL") == "":
		fmt.Println("contract: SKIPPED: CLOUDINARY_URL is not set, so there is no live API to check.")
		fmt.Println("Set CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name> to check the live API against openapi.yaml, or pass -fake.")
		return
	default:
		var err error
		if target, err = peopletest.TargetFromCloudinaryURL(os.Getenv("CLOUDINARY_URL")); err != nil {
			setup.Fatal(err)
		}
		target.Writes = *write
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	report, err := peopletest.Conformance(ctx, target)
	if err != nil {
		setup.Fatal(err)
	}
	report.WriteTable(os.Stdout)
	for _, d := range report.Drift {
		fmt.Printf("%s\n  what to do: describe it in openapi.yaml, then make generate and make test\n", d)
	}
	if n := report.Count(peopletest.Fail); n > 0 {
		fmt.Printf("%d case(s) found the API and openapi.yaml apart\n", n)
		os.Exit(1)
	}
}
