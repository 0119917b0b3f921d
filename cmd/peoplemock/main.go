// Command peoplemock serves the fake People Search API of package
// peopletest as a program, so that clients in any language (curl, the Python
// cloudinary-people SDK, a Node service) can be tested against it, and
// checks their traffic against openapi.yaml. With -proxy it forwards calls
// to a real People API instead and checks them on the way.
//
//	go run ./cmd/peoplemock                 # the default cast on 127.0.0.1:8080
//	go run ./cmd/peoplemock -people 5000    # 5,000 generated people
//	go run ./cmd/peoplemock -seed people.json
//	go run ./cmd/peoplemock -proxy https://api.cloudinary.com
//
// `peoplemock -h` prints the usage, the control API and the flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
