// Command peoplemock serves the fake People Search API of package
// peopletest as a program, so that clients in any language (curl, the Python
// cloudinary-people SDK, a Node service) can be tested against it, and
// checks their traffic against openapi.yaml.
//
//	go run ./cmd/peoplemock                 # the default cast on 127.0.0.1:8080
//	go run ./cmd/peoplemock -people 5000    # 5,000 generated people
//	go run ./cmd/peoplemock -seed people.json
//	go run ./cmd/peoplemock -proxy https://api.cloudinary.com
//
// At start it prints one line to stdout, the CLOUDINARY_URL that points a
// client at it. In proxy mode credentials pass through to the upstream, so
// that line carries the -cloud, -api-key and -api-secret values (the fake's
// by default, right for an upstream peoplemock); against the live API, use
// your own credentials with its upload_prefix. Logs and contract violations, one line each (-json:
// JSON lines), go to stderr. A control API under /_peoplemock/ queues
// faults, lists requests and violations and resets the data. SIGINT or
// SIGTERM stops it and prints a summary; with -strict the exit status is 1
// when any call broke the contract.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program; it returns the exit status when ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peoplemock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on; a non-loopback address is used only when given here")
	people := fs.Int("people", 0, "serve `N` generated people instead of the default cast")
	seed := fs.String("seed", "", "serve the people in `FILE`, a JSON array in the API's own shape")
	jsonLogs := fs.Bool("json", false, "log contract violations as JSON lines")
	strict := fs.Bool("strict", false, "exit with status 1 if any call broke the contract")
	proxy := fs.String("proxy", "", "forward every call to `URL` (e.g. https://api.cloudinary.com) and check the traffic instead of serving the fake")
	allowWrites := fs.Bool("allow-writes", false, "in proxy mode, let PUT through to the upstream")
	cloud := fs.String("cloud", peopletest.DefaultCloudName, "cloud name the fake accepts (and the printed CLOUDINARY_URL carries)")
	key := fs.String("api-key", peopletest.DefaultAPIKey, "API key the fake accepts (and the printed CLOUDINARY_URL carries)")
	secret := fs.String("api-secret", peopletest.DefaultAPISecret, "API secret the fake accepts (and the printed CLOUDINARY_URL carries)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "peoplemock: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *people < 0 || *people > 1_000_000 {
		fmt.Fprintln(stderr, "peoplemock: -people must be between 0 and 1000000")
		return 2
	}
	if *people > 0 && *seed != "" {
		fmt.Fprintln(stderr, "peoplemock: give -people or -seed, not both")
		return 2
	}
	if *allowWrites && *proxy == "" {
		fmt.Fprintln(stderr, "peoplemock: -allow-writes applies to -proxy only")
		return 2
	}

	log := &logger{w: stderr, json: *jsonLogs}
	var violations atomic.Int64
	onViolation := func(e *peopletest.ContractError) {
		violations.Add(1)
		log.violation(e)
	}

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "peoplemock: %v\n", err)
		return 1
	}
	if host, _, _ := net.SplitHostPort(l.Addr().String()); !net.ParseIP(host).IsLoopback() {
		log.info("listening on %s, which is not loopback: anyone who can reach it can use it", l.Addr())
	}
	base := "http://" + l.Addr().String()

	var calls func() int
	var srv *http.Server
	var closeFake func()
	if *proxy != "" {
		opts := []peopletest.ProxyOption{peopletest.OnProxyViolation(onViolation)}
		if *allowWrites {
			opts = append(opts, peopletest.AllowWrites())
		}
		p, err := peopletest.NewProxy(*proxy, opts...)
		if err != nil {
			l.Close()
			fmt.Fprintf(stderr, "peoplemock: %v\n", err)
			return 2
		}
		srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(l)
		calls = p.RequestCount
		// The same line as the fake's: with the default credentials it
		// points a client through the proxy at another peoplemock; for the
		// live API, use your own credentials with upload_prefix=base.
		fmt.Fprintf(stdout, "CLOUDINARY_URL=cloudinary://%s:%s@%s?upload_prefix=%s\n", *key, *secret, *cloud, base)
		writes := "PUT refused (use -allow-writes)"
		if *allowWrites {
			writes = "PUT allowed"
		}
		log.info("proxying %s to %s, checking every call against openapi.yaml; %s; credentials pass through, so use your own with upload_prefix=%s", base, *proxy, writes, base)
	} else {
		opts := []peopletest.Option{
			peopletest.WithListener(l), peopletest.WithControlAPI(), peopletest.WithViolationHandler(onViolation),
			peopletest.WithCredentials(*cloud, *key, *secret),
		}
		switch {
		case *people > 0:
			opts = append(opts, peopletest.WithGeneratedPeople(*people))
		case *seed != "":
			f, err := os.Open(*seed)
			if err != nil {
				l.Close()
				fmt.Fprintf(stderr, "peoplemock: %v\n", err)
				return 2
			}
			seeded, err := peopletest.ReadPeople(f)
			f.Close()
			if err != nil {
				l.Close()
				fmt.Fprintf(stderr, "peoplemock: %s: %v\n", *seed, err)
				return 2
			}
			opts = append(opts, peopletest.WithPeople(seeded...))
		}
		fake := peopletest.NewServer(nil, opts...)
		closeFake = fake.Close
		calls = fake.RequestCount
		fmt.Fprintf(stdout, "CLOUDINARY_URL=cloudinary://%s:%s@%s?upload_prefix=%s\n", *key, *secret, *cloud, fake.URL)
		log.info("serving the fake People API on %s with %d people; control API at %s/_peoplemock/", fake.URL, len(fake.People()), fake.URL)
	}

	<-ctx.Done()
	if srv != nil {
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		srv.Shutdown(shutdown)
		cancel()
	}
	if closeFake != nil {
		closeFake()
	}
	count := violations.Load()
	log.summary(calls(), int(count))
	if *strict && count > 0 {
		return 1
	}
	return 0
}

// logger writes one line per event to stderr, as text or JSON.
type logger struct {
	mu   sync.Mutex
	w    io.Writer
	json bool
}

func (l *logger) write(event string, fields map[string]any, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.json {
		fields["time"] = time.Now().UTC().Format(time.RFC3339Nano)
		fields["event"] = event
		b, err := json.Marshal(fields)
		if err != nil {
			b = []byte(fmt.Sprintf(`{"event":"error","error":%q}`, err.Error()))
		}
		fmt.Fprintf(l.w, "%s\n", b)
		return
	}
	// One line each, whatever the rule says.
	fmt.Fprintf(l.w, "peoplemock: %s\n", strings.ReplaceAll(text, "\n", " "))
}

func (l *logger) info(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.write("info", map[string]any{"message": msg}, msg)
}

func (l *logger) violation(e *peopletest.ContractError) {
	l.write("violation", map[string]any{
		"phase": e.Phase, "method": e.Method, "path": e.Path, "operation": e.Operation, "status": e.Status, "rule": e.Rule,
	}, e.Error())
}

func (l *logger) summary(calls, violations int) {
	l.write("summary", map[string]any{"calls": calls, "violations": violations},
		fmt.Sprintf("stopped after %d calls, %d contract violations", calls, violations))
}
