package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/cldpeople/cloudinary-people-go/internal/buildinfo"
)

const usage = `people runs jobs over the Cloudinary People Search API.

Usage:
  people export [flags]        write every person as JSON Lines, resumable
  people apply [flags] FILE    apply a JSON Lines file of changes, resumable

Both read CLOUDINARY_URL (cloudinary://<api_key>:<api_secret>@<cloud_name>),
wait when the hourly allowance is used up, and stop cleanly on Ctrl-C: run
the same command with the same -state file to continue where it stopped.

  -reserve N    leave N calls of each hour to the account's other users
  -redis URL    share one allowance with every other process that uses the
                same Redis (redis://host:6379/0)

people -version prints the version.

Exit status: 0 done; 1 a line or a call failed; 2 bad usage; 130 stopped.
Run people export -h or people apply -h for each command's flags.
`

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// errUsage marks a command line that cannot run.
var errUsage = errors.New("usage")

// run is the program: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, buildinfo.Version("people"))
		return exitOK
	case "export":
		return exitStatus(ctx, runExport(ctx, args[1:], stdout, stderr), stderr)
	case "apply":
		return runApply(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "people: unknown command %q; run people -h for the commands\n", args[0])
	return exitUsage
}

// exitStatus reports err and says how the program ends.
func exitStatus(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "people: %s\n", bareMessage(err))
		return exitUsage
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "people: stopped: %s\n", bareMessage(err))
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "people: %s\n", bareMessage(err))
	return exitFailed
}

// common are the flags both commands take.
type common struct {
	reserve int
	redis   string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.IntVar(&c.reserve, "reserve", 0, "leave `N` calls of each hour's allowance to the account's other users")
	fs.StringVar(&c.redis, "redis", "", "share one hourly allowance through the Redis at `URL` (redis://host:6379/0)")
}

// parse parses args with fs, whose usage line is synopsis.
func parse(fs *flag.FlagSet, synopsis string, args []string, stdout, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage: %s\n\nFlags:\n", synopsis)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return err
		}
		return fmt.Errorf("%w: %v (run people %s -h)", errUsage, err, fs.Name())
	}
	return nil
}
