// Package wrapper is the idiomatic Go client for Cloudinary's People Search
// API.
//
// The API is described once, in openapi.yaml at the root of this module; the
// request builders and wire types in package
// [github.com/cldpeople/cloudinary-people-go/generated] come from it. This
// package stays thin on top of them and adds what every program needs and the
// generator cannot know: configuration from CLOUDINARY_URL ([New]), input
// checks before anything is sent ([ErrInvalidInput]), errors you can inspect
// with errors.Is and errors.As ([ErrNotFound], [APIError]), retries with
// backoff that respect the server's rate-limit headers and the caller's
// deadline, and [Client.AllPeople], a range-over-func iterator that walks
// every page lazily.
//
// Rate-limit information comes with every answer: [PeoplePage.RateLimit] and
// [APIError.RateLimit] carry the allowance of that answer, and
// [Client.RateLimit] the latest one any call on the Client saw, whatever the
// operation. [RateLimit.Known] tells a reported allowance from an answer that
// carried none. When the latest answer said the hourly allowance is used up,
// calls fail at once with [ErrRateLimited], sending nothing, until it resets
// (a reset claimed to be more than an hour away is cut to an hour), or wait
// for the reset with [WithWaitForRateLimit].
//
// A [Client] is safe for concurrent use and should be reused: it keeps
// connections alive across calls; [Client.Close] releases them. Credentials
// never appear in error strings, log lines or the Client's printed form.
//
//	client, err := wrapper.New() // reads CLOUDINARY_URL
//	if err != nil { ... }
//	defer client.Close()
//	for person, err := range client.AllPeople(ctx, wrapper.ListOptions{NameStatus: wrapper.NameStatusNamed}) {
//		if err != nil { ... }
//		fmt.Println(person.Name)
//	}
//
// Package [github.com/cldpeople/cloudinary-people-go/wrapper/peopletest]
// provides a fake People API
// ([github.com/cldpeople/cloudinary-people-go/wrapper/peopletest.NewServer])
// and a validating transport
// ([github.com/cldpeople/cloudinary-people-go/wrapper/peopletest.ValidatingTransport])
// for tests.
package wrapper
