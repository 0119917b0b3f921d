// Errors shows how failures look and how to tell them apart with errors.Is
// and errors.As. With -fake it provokes each one through fault injection;
// against a real account it asks for a person that does not exist.
//
//	go run ./examples/errors [-fake]
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func main() {
	client, srv, done := setup.Client(wrapper.WithMaxRetries(1))
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	explain("Unknown person", get(ctx, client, "no-such-person"))
	explain("Invalid input (nothing is sent)", update(ctx, client, "", wrapper.PersonUpdate{Name: "x"}))
	if srv == nil {
		return
	}
	id := srv.People()[0].ID
	srv.FailNext(1, http.StatusForbidden)
	explain("People Search disabled", get(ctx, client, id))
	srv.FailNext(1, http.StatusUnauthorized)
	explain("Wrong credentials", get(ctx, client, id))
	srv.InjectFault(2, peopletest.Fault{Status: 503, HTML: true})
	explain("A proxy's HTML 503, twice (one retry)", get(ctx, client, id))
	srv.InjectFault(1, peopletest.Fault{Status: wrapper.StatusEnhanceYourCalm, RetryAfter: time.Second})
	start := time.Now()
	err := get(ctx, client, id)
	fmt.Printf("Rate limited once with Retry-After: 1 → retried after %.1fs, err = %v\n\n", time.Since(start).Seconds(), err)
	srv.InjectFault(1, peopletest.Fault{Delay: 2 * time.Second})
	short, cancelShort := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancelShort()
	explain("A deadline that runs out", get(short, client, id))
}

func get(ctx context.Context, c *wrapper.Client, id string) error {
	_, err := c.GetPerson(ctx, id)
	return err
}

func update(ctx context.Context, c *wrapper.Client, id string, u wrapper.PersonUpdate) error {
	_, err := c.UpdatePerson(ctx, id, u)
	return err
}

func explain(what string, err error) {
	fmt.Printf("%s:\n  %v\n", what, err)
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		allowance := "no rate-limit headers (a proxy answered)"
		if rl := apiErr.RateLimit; rl.Known() {
			allowance = fmt.Sprintf("%d of %d calls left this hour", rl.Remaining, rl.Limit)
		}
		fmt.Printf("  status %d, message %q, %s\n", apiErr.StatusCode, apiErr.Message, allowance)
	}
	for _, s := range []struct {
		name string
		err  error
	}{
		{"ErrNotFound", wrapper.ErrNotFound}, {"ErrInvalidInput", wrapper.ErrInvalidInput},
		{"ErrFeatureNotEnabled", wrapper.ErrFeatureNotEnabled}, {"ErrAuthentication", wrapper.ErrAuthentication},
		{"ErrRateLimited", wrapper.ErrRateLimited}, {"ErrServer", wrapper.ErrServer},
		{"ErrNetwork", wrapper.ErrNetwork}, {"context.DeadlineExceeded", context.DeadlineExceeded},
	} {
		if errors.Is(err, s.err) {
			fmt.Printf("  errors.Is(err, %s)\n", s.name)
		}
	}
	fmt.Println()
}
