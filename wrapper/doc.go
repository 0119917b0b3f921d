// Package wrapper is the idiomatic Go client for Cloudinary's People Search
// API.
//
// The API is described once, in openapi.yaml at the root of this module; the
// request builders and wire types in package generated come from it. This
// package stays thin on top of them and adds what every program needs and the
// generator cannot know: configuration from CLOUDINARY_URL, input checks
// before anything is sent, errors you can inspect with errors.Is and
// errors.As, retries with backoff that respect the server's rate-limit
// headers and the caller's deadline, rate-limit information on every answer,
// and AllPeople, a range-over-func iterator that walks every page lazily.
//
// A Client is safe for concurrent use and should be reused: it keeps
// connections alive across calls. Credentials never appear in error strings,
// log lines or the Client's printed form.
//
//	client, err := wrapper.New() // reads CLOUDINARY_URL
//	if err != nil { ... }
//	for person, err := range client.AllPeople(ctx, wrapper.ListOptions{NameStatus: wrapper.NameStatusNamed}) {
//		if err != nil { ... }
//		fmt.Println(person.Name)
//	}
//
// Package peopletest provides a fake People API and a validating transport
// for tests.
package wrapper
