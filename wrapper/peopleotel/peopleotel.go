// Package peopleotel reports what a wrapper.Client does to OpenTelemetry:
// a span for each operation call, under it a span for each attempt with
// the HTTP client semantic conventions, the waits as events, and metrics
// of the attempts' durations, the calls left in the hour and the time
// spent waiting. It is built on wrapper.Observer, the hook any code can
// use, and lives in a package of its own so that a program that imports
// wrapper alone links no OpenTelemetry module.
//
//	client, err := wrapper.New(peopleotel.Instrument())
//
// No attribute, event or metric carries a credential: the URL recorded is
// the request's, which holds none (the SDK sends them in a header).
package peopleotel

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// ScopeName names the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/cldpeople/cloudinary-people-go/wrapper/peopleotel"

// The metrics' names: the HTTP client semantic conventions' for the
// attempts, this package's own for the allowance and the waits.
const (
	MetricRequestDuration = "http.client.request.duration"
	MetricRemaining       = "cloudinary.people.ratelimit.remaining"
	MetricWaitDuration    = "cloudinary.people.wait.duration"
)

// An Option configures [Instrument].
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider sets where the spans go (the global provider by
// default).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets where the metrics go (the global provider by
// default).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// Instrument is the wrapper.Option that reports a Client's calls to
// OpenTelemetry. Trace context goes out on each attempt through the global
// propagator.
func Instrument(opts ...Option) wrapper.Option {
	c := config{}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	return wrapper.WithObserver(newInstruments(c).observer())
}

// instruments are the tracer and the meters of one Instrument.
type instruments struct {
	tracer    trace.Tracer
	duration  metric.Float64Histogram
	remaining metric.Int64Gauge
	waited    metric.Float64Histogram
}

func newInstruments(c config) *instruments {
	meter := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(wrapper.Version))
	in := &instruments{tracer: c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(wrapper.Version))}
	// A meter that fails to make an instrument gives a no-op one: the
	// calls go on, unmeasured.
	in.duration, _ = meter.Float64Histogram(MetricRequestDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of each HTTP attempt to the People API."))
	in.remaining, _ = meter.Int64Gauge(MetricRemaining, metric.WithUnit("{call}"),
		metric.WithDescription("Calls left in the hourly allowance, as the latest answer said."))
	in.waited, _ = meter.Float64Histogram(MetricWaitDuration, metric.WithUnit("s"),
		metric.WithDescription("Time a call waited before a retry or for the hourly allowance."))
	return in
}

func (in *instruments) observer() wrapper.Observer {
	return wrapper.Observer{
		Call:      in.call,
		Attempt:   in.attempt,
		Wait:      in.wait,
		RateLimit: in.rateLimit,
	}
}

func (in *instruments) call(ctx context.Context, op string) (context.Context, func(error)) {
	ctx, span := in.tracer.Start(ctx, "People "+op, trace.WithSpanKind(trace.SpanKindClient))
	if !span.IsRecording() {
		// No one reads it: spend nothing on its attributes.
		return ctx, func(error) { span.End() }
	}
	span.SetAttributes(attribute.String("cloudinary.people.operation", op))
	return ctx, func(err error) {
		if err != nil {
			span.SetStatus(codes.Error, errorType(0, err))
			span.SetAttributes(attribute.String("error.type", errorType(0, err)))
		}
		span.End()
	}
}

func (in *instruments) attempt(ctx context.Context, req *http.Request, n int) (context.Context, func(int, error)) {
	ctx, span := in.tracer.Start(ctx, req.Method, trace.WithSpanKind(trace.SpanKindClient))
	recording := span.IsRecording()
	if recording {
		span.SetAttributes(attribute.String("url.full", fullURL(req)))
		if n > 0 {
			span.SetAttributes(attribute.Int("http.request.resend_count", n))
		}
		otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(req.Header))
	}
	start := time.Now()
	return ctx, func(status int, err error) {
		attrs := requestAttributes(req, status, err)
		if recording {
			if status >= 400 || err != nil {
				span.SetStatus(codes.Error, errorType(status, err))
			}
			span.SetAttributes(attrs...)
		}
		span.End()
		in.duration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(attrs...))
	}
}

func (in *instruments) wait(ctx context.Context, reason string, d time.Duration) {
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("wait", trace.WithAttributes(
			attribute.String("cloudinary.people.wait.reason", reason), attribute.Float64("cloudinary.people.wait.seconds", d.Seconds())))
	}
	in.waited.Record(ctx, d.Seconds(), metric.WithAttributes(attribute.String("cloudinary.people.wait.reason", reason)))
}

func (in *instruments) rateLimit(ctx context.Context, rl wrapper.RateLimit) {
	in.remaining.Record(ctx, int64(rl.Remaining))
}

// requestAttributes are the semantic conventions' attributes of an
// attempt that metrics carry too (no URL: its path names a person).
func requestAttributes(req *http.Request, status int, err error) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 5)
	attrs = append(attrs, attribute.String("http.request.method", req.Method), attribute.String("server.address", req.URL.Hostname()))
	port := req.URL.Port()
	switch {
	case port != "":
	case req.URL.Scheme == "https":
		port = "443"
	case req.URL.Scheme == "http":
		port = "80"
	}
	if p, perr := strconv.Atoi(port); perr == nil {
		attrs = append(attrs, attribute.Int("server.port", p))
	}
	if status > 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", status))
	}
	if status >= 400 || err != nil {
		attrs = append(attrs, attribute.String("error.type", errorType(status, err)))
	}
	return attrs
}

// fullURL is the request's URL with no user information, which the SDK
// never puts there but a URL may carry.
func fullURL(req *http.Request) string {
	u := *req.URL
	u.User = nil
	return u.String()
}

// errorType is the semantic conventions' error.type: the status code, or
// the kind of failure.
func errorType(status int, err error) string {
	var netErr net.Error
	var apiErr *wrapper.APIError
	switch {
	case status >= 400:
		return strconv.Itoa(status)
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode)
	}
	return "_OTHER"
}
