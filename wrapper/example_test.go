package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The examples run against the fake People API so they need no account;
// with a real one, wrapper.New() reads CLOUDINARY_URL instead.

func ExampleNew() {
	srv := peopletest.NewServer(nil)
	defer srv.Close()

	// Usually: client, err := wrapper.New() with CLOUDINARY_URL set.
	client, err := wrapper.New(wrapper.WithCloudinaryURL(srv.CloudinaryURL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := client.ListPeople(context.Background(), wrapper.ListOptions{MaxResults: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range page.People {
		fmt.Println(p.Name, p.Status)
	}
	// Output:
	// Ada Lovelace active
	// Alan Turing active
	// Barbara Liskov active
}

func ExampleClient_AllPeople() {
	srv := peopletest.NewServer(nil)
	defer srv.Close()
	client := srv.Client()

	opts := wrapper.ListOptions{NamePrefix: "a", MaxResults: 1} // one person a page, to show paging
	for person, err := range client.AllPeople(context.Background(), opts) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(person.Name)
	}
	fmt.Println("requests:", srv.RequestCount())
	// Output:
	// Ada Lovelace
	// Alan Turing
	// requests: 2
}

func ExampleClient_UpdatePerson() {
	srv := peopletest.NewServer(nil)
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	page, _ := client.ListPeople(ctx, wrapper.ListOptions{NameStatus: wrapper.NameStatusUnnamed, MaxResults: 1})
	updated, err := client.UpdatePerson(ctx, page.People[0].ID, wrapper.PersonUpdate{Name: "Hedy Lamarr", Status: wrapper.StatusHidden})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(updated.Name, updated.Status)
	// Output: Hedy Lamarr hidden
}

func ExampleAPIError() {
	srv := peopletest.NewServer(nil)
	defer srv.Close()
	client := srv.Client()

	_, err := client.GetPerson(context.Background(), "no-such-person")
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
	}
	fmt.Println(errors.Is(err, wrapper.ErrNotFound))
	// Output:
	// 404 Can't find Person with id no-such-person
	// true
}

func ExampleClient_InspectPeoplePermissions() {
	srv := peopletest.NewServer(nil, peopletest.WithPermissions(func(_, action string) bool { return action == "read" }))
	defer srv.Close()
	client := srv.Client()
	id := srv.People()[0].ID

	perms, err := client.InspectPeoplePermissions(context.Background(), []string{id}, "read", "update")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(perms.Allowed(id, "read"), perms.Allowed(id, "update"))
	// Output: true false
}

func ExampleClient_RateLimit() {
	srv := peopletest.NewServer(nil, peopletest.WithHourlyLimit(2000, time.Hour))
	defer srv.Close()
	client := srv.Client()
	defer client.Close()

	fmt.Println("known before any call:", client.RateLimit().Known())
	if _, err := client.GetPerson(context.Background(), srv.People()[0].ID); err != nil {
		fmt.Println(err)
		return
	}
	rl := client.RateLimit()
	fmt.Printf("%d of %d calls left this hour\n", rl.Remaining, rl.Limit)
	// Output:
	// known before any call: false
	// 1999 of 2000 calls left this hour
}

func ExampleWithWaitForRateLimit() {
	srv := peopletest.NewServer(nil)
	defer srv.Close()
	// One call left, and the hour resets in a long while.
	srv.SetRateLimit(1, time.Now().Add(time.Hour))

	client := srv.Client()
	id := srv.People()[0].ID
	client.GetPerson(context.Background(), id) // the last call of the hour

	// Without WithWaitForRateLimit the next call fails at once, sending nothing.
	_, err := client.GetPerson(context.Background(), id)
	fmt.Println(errors.Is(err, wrapper.ErrRateLimited), srv.RequestCount())

	// With it, the call waits for the reset, as long as the context allows.
	waiting := srv.Client(wrapper.WithWaitForRateLimit())
	waiting.GetPerson(context.Background(), id) // learns the allowance is used up
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = waiting.GetPerson(ctx, id) // the reset is after the deadline: no wait
	fmt.Println(errors.Is(err, wrapper.ErrRateLimited))
	// Output:
	// true 1
	// true
}
