package peopletest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func ExampleNewServer() {
	// In a test, pass t: the server closes when the test ends and any
	// contract violation fails it.
	srv := peopletest.NewServer(nil, peopletest.WithPeople(
		wrapper.Person{ID: "p1", Name: "Ann"},
		wrapper.Person{ID: "p2"},
	))
	defer srv.Close()

	srv.FailNext(1, http.StatusServiceUnavailable) // retried by the client
	person, err := srv.Client().GetPerson(context.Background(), "p1")
	fmt.Println(person.Name, err, srv.RequestCount())
	// Output: Ann <nil> 2
}

func ExampleValidatingTransport() {
	srv := peopletest.NewServer(nil)
	defer srv.Close()

	// The same transport works against the live API: wrap http.DefaultTransport.
	hc := &http.Client{Transport: peopletest.ValidatingTransport(nil)}
	client := srv.Client(wrapper.WithHTTPClient(hc))

	tooMany := 500
	_, err := client.Generated().ListPeopleWithResponse(context.Background(), srv.CloudName, &generated.ListPeopleParams{MaxResults: &tooMany})
	var violation *peopletest.ContractError
	if errors.As(err, &violation) {
		fmt.Println(violation.Operation+":", violation.Rule)
	}
	// Output: listPeople: parameter max_results in query: number must be at most 100
}

func ExampleConformance() {
	// Any People API will do: the live one (TargetFromCloudinaryURL), a
	// proxy, or here the fake, quiet about the negative cases' requests.
	srv := peopletest.NewServer(nil, peopletest.OnViolation(func(*peopletest.ContractError) {}))
	defer srv.Close()

	report, err := peopletest.Conformance(context.Background(), peopletest.ConformanceTarget{
		BaseURL: srv.URL, CloudName: srv.CloudName, APIKey: srv.APIKey, APISecret: srv.APISecret,
		Writes: true, // include the updatePerson cases
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report.Count(peopletest.Pass), "passed,", report.Count(peopletest.Fail), "failed")
	// report.WriteTable(os.Stdout) prints every case.
	// Output: 50 passed, 0 failed
}
