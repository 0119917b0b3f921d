package peopleotel_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopleotel"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// instrumented is a fake and a Client reporting to in-memory readers.
func instrumented(t *testing.T) (*peopletest.Server, *wrapper.Client, *tracetest.SpanRecorder, *sdkmetric.ManualReader) {
	spans := tracetest.NewSpanRecorder()
	reader := sdkmetric.NewManualReader()
	s := peopletest.NewServer(t)
	c := s.Client(peopleotel.Instrument(
		peopleotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))),
		peopleotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))),
	))
	return s, c, spans, reader
}

func attrs(kvs []attribute.KeyValue) map[string]string {
	out := map[string]string{}
	for _, kv := range kvs {
		out[string(kv.Key)] = kv.Value.String()
	}
	return out
}

func TestACallIsASpanWithASpanPerAttempt(t *testing.T) {
	t.Parallel()
	s, c, spans, _ := instrumented(t)
	s.FailNext(1, 503)
	_, err := c.GetPerson(t.Context(), s.People()[0].ID)
	require.NoError(t, err)

	ended := spans.Ended()
	require.Len(t, ended, 3, "two attempts and the call")
	first, retry, call := ended[0], ended[1], ended[2]
	assert.Equal(t, "People GetPerson", call.Name())
	for i, a := range []sdktrace.ReadOnlySpan{first, retry} {
		assert.Equal(t, call.SpanContext().SpanID(), a.Parent().SpanID(), "attempt %d is the call's child", i)
		assert.Equal(t, "GET", a.Name())
		got := attrs(a.Attributes())
		assert.Equal(t, "GET", got["http.request.method"])
		assert.Equal(t, "127.0.0.1", got["server.address"])
		assert.Contains(t, got["url.full"], "/people/")
	}
	assert.Equal(t, "503", attrs(first.Attributes())["http.response.status_code"])
	assert.Equal(t, "503", attrs(first.Attributes())["error.type"])
	assert.Equal(t, "200", attrs(retry.Attributes())["http.response.status_code"])
	assert.Equal(t, "1", attrs(retry.Attributes())["http.request.resend_count"])
	assert.NotContains(t, attrs(first.Attributes()), "http.request.resend_count")

	t.Run("the wait before the retry is an event of the call", func(t *testing.T) {
		require.NotEmpty(t, call.Events())
		assert.Equal(t, "wait", call.Events()[0].Name)
		assert.Equal(t, "retry", attrs(call.Events()[0].Attributes)["cloudinary.people.wait.reason"])
	})
	t.Run("trace context went out on each attempt", func(t *testing.T) {
		for _, r := range s.Requests() {
			assert.Contains(t, r.Header.Get("Traceparent"), call.SpanContext().TraceID().String())
		}
	})
}

func TestMetricsOfAttemptsTheAllowanceAndWaits(t *testing.T) {
	t.Parallel()
	s, c, _, reader := instrumented(t)
	s.FailNext(1, 503)
	_, err := c.ListPeople(t.Context(), wrapper.ListOptions{})
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	found := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			found[m.Name] = m
		}
	}
	duration, ok := found[peopleotel.MetricRequestDuration].Data.(metricdata.Histogram[float64])
	require.True(t, ok, "the duration histogram")
	var points uint64
	statuses := map[string]bool{}
	for _, p := range duration.DataPoints {
		points += p.Count
		statuses[attrs(p.Attributes.ToSlice())["http.response.status_code"]] = true
	}
	assert.Equal(t, uint64(2), points, "one point an attempt")
	assert.True(t, statuses["503"] && statuses["200"])
	remaining, ok := found[peopleotel.MetricRemaining].Data.(metricdata.Gauge[int64])
	require.True(t, ok, "the remaining gauge")
	require.NotEmpty(t, remaining.DataPoints)
	assert.Equal(t, int64(c.RateLimit().Remaining), remaining.DataPoints[0].Value)
	assert.True(t, strings.Contains(peopleotel.MetricRemaining, "remaining"))
	_, ok = found[peopleotel.MetricWaitDuration].Data.(metricdata.Histogram[float64])
	assert.True(t, ok, "the wait histogram")
}

func TestNoCredentialIsRecorded(t *testing.T) {
	t.Parallel()
	s, c, spans, reader := instrumented(t)
	_, _ = c.GetPerson(t.Context(), s.People()[0].ID)
	_, _ = c.GetPerson(t.Context(), "nobody")
	var everything strings.Builder
	for _, sp := range spans.Ended() {
		for _, kv := range sp.Attributes() {
			everything.WriteString(kv.Value.String() + "\n")
		}
		for _, e := range sp.Events() {
			for _, kv := range e.Attributes {
				everything.WriteString(kv.Value.String() + "\n")
			}
		}
		everything.WriteString(sp.Status().Description + "\n")
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok {
				for _, p := range h.DataPoints {
					for _, kv := range p.Attributes.ToSlice() {
						everything.WriteString(kv.Value.String() + "\n")
					}
				}
			}
		}
	}
	require.NotEmpty(t, everything.String())
	assert.NotContains(t, everything.String(), s.APISecret)
	assert.NotContains(t, everything.String(), s.APIKey)
}

// TestMain sets the global propagator, as a program that uses trace
// context does: Instrument sends through whatever is set.
func TestMain(m *testing.M) {
	otel.SetTextMapPropagator(propagation.TraceContext{})
	os.Exit(m.Run())
}

func TestAWaitForTheAllowanceIsAnEventOfTheCall(t *testing.T) {
	t.Parallel()
	spans := tracetest.NewSpanRecorder()
	s := peopletest.NewServer(t)
	c := s.Client(wrapper.WithWaitForRateLimit(), peopleotel.Instrument(
		peopleotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))))
	id := s.People()[0].ID
	s.SetRateLimit(1, time.Now().Add(time.Second))
	_, err := c.GetPerson(t.Context(), id) // the hour's last call
	require.NoError(t, err)
	_, err = c.GetPerson(t.Context(), id) // waits for the reset
	require.NoError(t, err)
	ended := spans.Ended()
	call := ended[len(ended)-1]
	require.Equal(t, "People GetPerson", call.Name())
	require.NotEmpty(t, call.Events())
	assert.Equal(t, "allowance", attrs(call.Events()[0].Attributes)["cloudinary.people.wait.reason"])
}
