// Command people runs the jobs people run over the People Search API by
// hand or from cron, built on package wrapper: export every person to JSON
// Lines, and apply a file of changes. Both read CLOUDINARY_URL as
// wrapper.New does, wait across hourly resets, resume after a crash from
// a state file, leave a reserve of the hourly allowance to the account's
// other users, and share one allowance through Redis.
//
//	people export -o people.jsonl -state export.state
//	people apply -state apply.journal changes.jsonl
//
// Run people -h, people export -h or people apply -h for the flags.
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
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
