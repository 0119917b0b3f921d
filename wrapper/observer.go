package wrapper

import (
	"context"
	"net/http"
	"time"
)

// Observer sees what a Client does, for metrics and traces of your own:
// each operation call, each attempt on the wire, each wait, and the hourly
// allowance each answer reported. Every field is optional. Package
// wrapper/peopleotel builds OpenTelemetry spans and metrics on it; it uses
// nothing an Observer of yours cannot.
//
// The functions run on the calling goroutine, inside the call: they must
// be quick, and safe for concurrent use when the Client is shared.
type Observer struct {
	// Call is told when an operation starts (op: "ListPeople",
	// "GetPerson", "UpdatePerson", "InspectPeoplePermissions"; each page of
	// Pages and AllPeople is a ListPeople call). The context it returns
	// is the call's from then on, and end is told how the call ended: nil,
	// or the error the caller gets.
	Call func(ctx context.Context, op string) (_ context.Context, end func(err error))
	// Attempt is told before each attempt is sent; n is 0 for the first
	// and counts the retries. It may add headers to req (trace context,
	// say). end is told the status (0 when no answer came) and the error.
	Attempt func(ctx context.Context, req *http.Request, n int) (_ context.Context, end func(status int, err error))
	// Wait is told of each wait before it starts: "retry" (a backoff or
	// a Retry-After) or "allowance" (the hourly allowance, or the reserve,
	// is used up).
	Wait func(ctx context.Context, reason string, d time.Duration)
	// RateLimit is told the allowance each answer reported.
	RateLimit func(ctx context.Context, rl RateLimit)
}

// Reasons an [Observer] is told of a wait.
const (
	WaitRetry     = "retry"
	WaitAllowance = "allowance"
)

// WithObserver adds o to the Client's observers; several may watch one
// Client, each told in the order added.
func WithObserver(o Observer) Option {
	return func(opts *options) error {
		opts.observers = append(opts.observers, o)
		return nil
	}
}

// observers are a Client's, called in turn.
type observers []Observer

// call tells the observers a call starts; the end it returns is nil when
// none is told of calls, so that a Client without one builds no error for
// them.
func (os observers) call(ctx context.Context, op string) (context.Context, func(error)) {
	var ends []func(error)
	for _, o := range os {
		if o.Call != nil {
			var end func(error)
			ctx, end = o.Call(ctx, op)
			if end != nil {
				ends = append(ends, end)
			}
		}
	}
	if len(ends) == 0 {
		return ctx, nil
	}
	return ctx, func(err error) {
		for i := len(ends) - 1; i >= 0; i-- {
			ends[i](err)
		}
	}
}

func (os observers) attempt(ctx context.Context, req *http.Request, n int) (context.Context, func(int, error)) {
	var ends []func(int, error)
	for _, o := range os {
		if o.Attempt != nil {
			var end func(int, error)
			ctx, end = o.Attempt(ctx, req, n)
			if end != nil {
				ends = append(ends, end)
			}
		}
	}
	if len(ends) == 0 {
		return ctx, nil
	}
	return ctx, func(status int, err error) {
		for i := len(ends) - 1; i >= 0; i-- {
			ends[i](status, err)
		}
	}
}

func (os observers) wait(ctx context.Context, reason string, d time.Duration) {
	for _, o := range os {
		if o.Wait != nil {
			o.Wait(ctx, reason, d)
		}
	}
}

func (os observers) rateLimit(ctx context.Context, rl RateLimit) {
	for _, o := range os {
		if o.RateLimit != nil {
			o.RateLimit(ctx, rl)
		}
	}
}
