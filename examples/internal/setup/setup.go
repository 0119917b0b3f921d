// Package setup gives the example programs their client: against the real
// API from CLOUDINARY_URL, or with -fake against an in-process fake People
// API, so every example runs with no account.
package setup

import (
	"flag"
	"fmt"
	"os"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// Fake is the -fake flag every example accepts.
var Fake = flag.Bool("fake", false, "run against the bundled fake People API instead of CLOUDINARY_URL")

// Client parses the flags and returns a client, the fake server when -fake
// is set (nil otherwise), and a function to call when done.
func Client(opts ...wrapper.Option) (*wrapper.Client, *peopletest.Server, func()) {
	if !flag.Parsed() {
		flag.Parse()
	}
	if *Fake {
		srv := peopletest.NewServer(nil)
		return srv.Client(opts...), srv, srv.Close
	}
	if os.Getenv("CLOUDINARY_URL") == "" {
		fmt.Fprintln(os.Stderr, "CLOUDINARY_URL is not set; set it to cloudinary://<api_key>:<api_secret>@<cloud_name>, or pass -fake to use the bundled fake People API")
		os.Exit(2)
	}
	c, err := wrapper.New(opts...)
	if err != nil {
		Fatal(err)
	}
	return c, nil, func() {}
}

// Fatal prints err and exits.
func Fatal(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}

// Name shows a person's name, or that they have none.
func Name(p wrapper.Person) string {
	if p.Name == "" {
		return "(unnamed)"
	}
	return p.Name
}
