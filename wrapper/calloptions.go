package wrapper

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// A CallOption changes the calls made through the view [Client.With]
// returns, and no others.
type CallOption func(*callOptions)

// callOptions are a view's settings; nil or zero means the Client's own.
type callOptions struct {
	timeout  *time.Duration
	retries  *int
	header   http.Header
	respInto **http.Response
}

// WithCallTimeout bounds each call made through the view as a whole: its
// attempts, retries and waits (for a Retry-After or the hourly reset)
// included. The deadline stays visible through errors.Is(err,
// context.DeadlineExceeded).
func WithCallTimeout(d time.Duration) CallOption {
	return func(o *callOptions) { o.timeout = &d }
}

// WithCallRetries sets how many times a call made through the view is
// retried at most; 0 sends each call once.
func WithCallRetries(n int) CallOption {
	return func(o *callOptions) { o.retries = &n }
}

// WithHeader sends a header on every attempt of the view's calls (an
// idempotency or tracing header, say). The headers the SDK owns
// (Authorization, Host, Content-Type, Content-Length, User-Agent and the
// connection's own) cannot be replaced: a call through a view that tries
// fails with [ErrInvalidInput], sending nothing.
func WithHeader(key, value string) CallOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = http.Header{}
		}
		o.header.Add(key, value)
	}
}

// WithResponseInto stores in *dst the final attempt's answer to each call
// made through the view, its body already read (and kept, so it can be
// read again), so that any header can be read: set even when the call
// fails with an [*APIError]; left as it was when no answer came.
func WithResponseInto(dst **http.Response) CallOption {
	return func(o *callOptions) { o.respInto = dst }
}

// With returns a view of c whose calls (every operation, [Client.Pages]
// and [Client.AllPeople] included) apply opts, on top of those of c when
// c is a view itself. The view shares c's connections, allowance and
// [Client.RateLimit]; calls through it update what c reports. Calls
// through [Client.Generated] are not affected.
func (c *Client) With(opts ...CallOption) *Client {
	view := *c
	view.call = c.call.with(opts)
	return &view
}

func (o callOptions) with(opts []CallOption) callOptions {
	out := o
	out.header = o.header.Clone()
	for _, opt := range opts {
		if opt != nil {
			opt(&out)
		}
	}
	return out
}

// ownedHeaders are the headers the SDK sets itself on every attempt.
var ownedHeaders = []string{"Authorization", "Host", "Content-Type", "Content-Length", "User-Agent", "Transfer-Encoding", "Connection"}

// check refuses, before anything is sent, what no call can honour.
func (o callOptions) check() error {
	switch {
	case o.timeout != nil && *o.timeout <= 0:
		return invalidInput("WithCallTimeout(%v): want a positive duration", *o.timeout)
	case o.retries != nil && *o.retries < 0:
		return invalidInput("WithCallRetries(%d): want 0 or more", *o.retries)
	}
	for key := range o.header {
		for _, owned := range ownedHeaders {
			if strings.EqualFold(key, owned) {
				return invalidInput("WithHeader(%q): the SDK sets %s itself", key, owned)
			}
		}
	}
	return nil
}

// callKey carries a view's options from the Client to its doer.
type callKey struct{}

func (o callOptions) into(ctx context.Context) context.Context {
	if o.retries == nil && o.header == nil {
		return ctx
	}
	return context.WithValue(ctx, callKey{}, o)
}

func callOptionsFrom(ctx context.Context) callOptions {
	o, _ := ctx.Value(callKey{}).(callOptions)
	return o
}
