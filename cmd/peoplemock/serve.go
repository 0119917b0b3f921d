package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// serveFake starts the fake People API on l.
func serveFake(o *options, l net.Listener, log *slog.Logger) (*peopletest.Server, error) {
	opts := []peopletest.Option{
		peopletest.WithListener(l), peopletest.WithControlAPI(),
		peopletest.OnViolation(violationLogger(log)), peopletest.OnDrift(driftLogger(log)),
		peopletest.WithCredentials(o.cloud, o.key, o.secret),
	}
	if o.rateLimit > 0 {
		opts = append(opts, peopletest.WithHourlyLimit(o.rateLimit, o.hour))
	}
	switch {
	case o.people > 0:
		// Millions of people take seconds to make; say so, so that a
		// quiet terminal is not mistaken for a hang.
		log.Info(fmt.Sprintf("making %d people", o.people), "event", "loading")
		opts = append(opts, peopletest.WithGeneratedPeople(o.people))
	case o.seed != "":
		// A seed file that cannot be read is a problem with the file, not
		// with the command line: exit 1, and say which file.
		f, err := os.Open(o.seed)
		if err != nil {
			return nil, fmt.Errorf("reading the -seed file: %v", err)
		}
		seeded, err := peopletest.ReadPeople(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("the -seed file %s holds no people this fake can serve: %v", o.seed, err)
		}
		opts = append(opts, peopletest.WithPeople(seeded...))
	}
	return peopletest.NewServer(nil, opts...), nil
}

// serveFakeUnlessStopped is serveFake, given up when ctx ends first:
// making a hundred million people takes minutes, and a signal in the
// meantime must stop the program at once rather than after the work.
// stopped reports that case; what the loading makes is let go when it
// ends. Only a fake that is ready is announced on stdout.
func serveFakeUnlessStopped(ctx context.Context, o *options, l net.Listener, stdout io.Writer, log *slog.Logger) (totals func() peopletest.Totals, stop func(), stopped bool, err error) {
	type started struct {
		fake *peopletest.Server
		err  error
	}
	ready := make(chan started, 1)
	go func() {
		fake, err := serveFake(o, l, log)
		ready <- started{fake, err}
	}()
	var st started
	select {
	case st = <-ready:
	case <-ctx.Done():
		go func() {
			if st := <-ready; st.fake != nil {
				st.fake.Close()
			}
		}()
		return nil, nil, true, nil
	}
	if st.err != nil {
		return nil, nil, false, st.err
	}
	fake := st.fake
	fmt.Fprintf(stdout, "CLOUDINARY_URL=%s\n", cldurl.URL{CloudName: o.cloud, APIKey: o.key, APISecret: o.secret, UploadPrefix: fake.URL})
	log.Info(fmt.Sprintf("serving the fake People API on %s with %d people; control API at %s/_peoplemock/", fake.URL, fake.PeopleCount(), fake.URL),
		"event", "info")
	return fake.Totals, fake.Close, false, nil
}

// serveProxy starts the validating proxy on l.
func serveProxy(o *options, l net.Listener, stdout io.Writer, log *slog.Logger) (func() peopletest.Totals, func(), error) {
	opts := []peopletest.ProxyOption{peopletest.OnViolation(violationLogger(log)), peopletest.OnDrift(driftLogger(log))}
	if o.allowWrites {
		opts = append(opts, peopletest.AllowWrites())
	}
	if o.rejectInvalid {
		opts = append(opts, peopletest.RejectInvalid())
	}
	p, err := peopletest.NewProxy(o.proxy, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	base := "http://" + l.Addr().String()
	// The same line as the fake's: with the default credentials it points
	// a client through the proxy at another peoplemock; for the live API,
	// use your own credentials with upload_prefix=base.
	fmt.Fprintf(stdout, "CLOUDINARY_URL=%s\n", cldurl.URL{CloudName: o.cloud, APIKey: o.key, APISecret: o.secret, UploadPrefix: base})
	writes := "only reads are forwarded (use -allow-writes for PUT)"
	if o.allowWrites {
		writes = "writes are forwarded"
	}
	log.Info(fmt.Sprintf("proxying %s to %s, checking every call against openapi.yaml; %s; credentials pass through, so use your own with upload_prefix=%s",
		base, o.proxy, writes, base), "event", "info")
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return p.Totals, stop, nil
}
