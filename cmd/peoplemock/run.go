package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/buildinfo"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

const usage = `peoplemock serves a fake Cloudinary People Search API that behaves like the
real one (cursors, filters, validation, 401/404/420), and checks every request
and answer against openapi.yaml. With -proxy it forwards calls to a real People
API instead, checking them on the way.

Usage:
  peoplemock [flags]

It prints one line to stdout, the CLOUDINARY_URL that points a client at it,
and logs to stderr: each contract violation and each drift finding (the API
saying more than openapi.yaml describes) on a line of its own. SIGINT or
SIGTERM stops it with a summary of the whole run: calls, violations and
drift since start (a reset clears the control API's lists, not the summary).

Control API (JSON), next to the People API:
  POST /_peoplemock/faults      queue a fault: {"status":503,"count":2,"retry_after":"1s"}
  GET  /_peoplemock/requests    recorded calls, credentials redacted
  GET  /_peoplemock/violations  contract violations
  GET  /_peoplemock/drift       drift findings
  GET  /_peoplemock/drift/overlay  an OpenAPI Overlay adding them to openapi.yaml (make adopt)
  POST /_peoplemock/reset       restore the data; clear faults, requests, violations, drift
A request may also ask for a documented status with the header Prefer: code=503.

Proxy mode (-proxy URL): credentials pass through; only reads are forwarded
unless -allow-writes; -reject-invalid answers a request that breaks the
contract with 400 instead of forwarding it. The control API has the GET calls.

Flags:
`

// options are the command line.
type options struct {
	addr, seed, proxy, cloud, key, secret string
	people, rateLimit                     int
	hour                                  time.Duration
	jsonLogs, strict, strictDrift         bool
	allowWrites, rejectInvalid            bool
}

// plural is "1 call" or "2 calls".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// errUsage marks a command line that cannot run; run answers 2.
var errUsage = errors.New("usage")

func parseFlags(args []string, stdout, stderr io.Writer) (*options, int, bool) {
	o := &options{}
	fs := flag.NewFlagSet("peoplemock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on; a non-loopback address is used only when given here")
	fs.IntVar(&o.people, "people", 0, "serve `N` generated people instead of the default cast (up to what memory allows)")
	fs.StringVar(&o.seed, "seed", "", "serve the people in `FILE`: a JSON array of people in the API's shape, or a whole listPeople answer")
	fs.IntVar(&o.rateLimit, "rate-limit", 0, "enforce an allowance of `N` calls an hour, shared by every client: past it each call answers 420 until the hour ends (0: report 500 an hour, refuse none)")
	fs.DurationVar(&o.hour, "hour", time.Hour, "the length `D` of the -rate-limit hour, in whole seconds (e.g. 2s to run a job of many hours in seconds); hours start at multiples of D since the Unix epoch")
	fs.BoolVar(&o.jsonLogs, "json", false, "log as JSON lines")
	fs.BoolVar(&o.strict, "strict", false, "exit with status 1 if any call broke the contract")
	fs.BoolVar(&o.strictDrift, "strict-drift", false, "exit with status 1 if any answer drifted from openapi.yaml too")
	fs.StringVar(&o.proxy, "proxy", "", "forward every call to `URL` (e.g. https://api.cloudinary.com) and check the traffic instead of serving the fake")
	fs.BoolVar(&o.allowWrites, "allow-writes", false, "in proxy mode, forward writes (PUT) too")
	fs.BoolVar(&o.rejectInvalid, "reject-invalid", false, "in proxy mode, answer a request that breaks the contract with 400 instead of forwarding it")
	fs.StringVar(&o.cloud, "cloud", peopletest.DefaultCloudName, "cloud name the fake accepts (and the printed CLOUDINARY_URL carries)")
	fs.StringVar(&o.key, "api-key", peopletest.DefaultAPIKey, "API key the fake accepts (and the printed CLOUDINARY_URL carries)")
	fs.StringVar(&o.secret, "api-secret", peopletest.DefaultAPISecret, "API secret the fake accepts (and the printed CLOUDINARY_URL carries)")
	version := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil, 0, false
		}
		fmt.Fprintln(stderr, "peoplemock: run peoplemock -h for the usage")
		return nil, 2, false
	}
	if *version {
		fmt.Fprintln(stdout, buildinfo.Version("peoplemock"))
		return nil, 0, false
	}
	if err := o.check(fs.Args()); err != nil {
		fmt.Fprintf(stderr, "peoplemock: %v\n", err)
		return nil, 2, false
	}
	return o, 0, true
}

func (o *options) check(rest []string) error {
	switch {
	case len(rest) > 0:
		return fmt.Errorf("unexpected arguments %q", rest)
	case o.people < 0:
		return errors.New("-people must be 0 or more")
	case o.people > 0 && o.seed != "":
		return errors.New("give -people or -seed, not both")
	case o.rateLimit < 0:
		return errors.New("-rate-limit must be 0 or more")
	case o.hour < time.Second || o.hour%time.Second != 0:
		return fmt.Errorf("-hour must be a whole number of seconds, 1s or more (got %v)", o.hour)
	case o.proxy != "" && o.rateLimit > 0:
		return errors.New("-rate-limit applies to the fake only; the proxy passes the upstream's allowance on")
	case o.proxy == "" && (o.allowWrites || o.rejectInvalid):
		return errors.New("-allow-writes and -reject-invalid apply to -proxy only")
	}
	return checkMemory(o.people)
}

// run is the program; it returns the exit status when ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	log := newLogger(stderr, o.jsonLogs)
	l, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "peoplemock: %v\n", err)
		return 1
	}
	if host, _, _ := net.SplitHostPort(l.Addr().String()); !net.ParseIP(host).IsLoopback() {
		log.Warn(fmt.Sprintf("listening on %s, which is not loopback: anyone who can reach it can use it", l.Addr()), "event", "info")
	}
	var totals func() peopletest.Totals
	var stop func()
	if o.proxy != "" {
		totals, stop, err = serveProxy(o, l, stdout, log)
	} else {
		var loading bool
		totals, stop, loading, err = serveFakeUnlessStopped(ctx, o, l, stdout, log)
		if loading {
			l.Close()
			log.Info("stopped while loading the people", "event", "summary")
			return 0
		}
	}
	if err != nil {
		l.Close()
		fmt.Fprintf(stderr, "peoplemock: %v\n", err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	<-ctx.Done()
	stop()
	t := totals()
	log.Info(fmt.Sprintf("stopped after %s, %s (%d on purpose), %s (%d from injected answers)",
		plural(t.Calls, "call"), plural(t.Violations, "contract violation"), t.Injected, plural(t.Drift, "drift finding"), t.InjectedDrift),
		"event", "summary", "calls", t.Calls, "violations", t.Violations, "injected", t.Injected, "drift", t.Drift, "injected_drift", t.InjectedDrift)
	// What a test made on purpose (faults, probes) is not the contract
	// broken, so it fails no run.
	violations, drift := t.Violations-t.Injected, t.Drift-t.InjectedDrift
	if o.strict && violations > 0 || o.strictDrift && (violations > 0 || drift > 0) {
		return 1
	}
	return 0
}
