// Otel instruments a Client with package peopleotel: its spans go to an
// OpenTelemetry collector over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT, or
// localhost:4318), its metrics to an in-process reader whose names it
// prints, so that the metrics need no collector.
//
//	go run ./examples/otel -fake    # the bundled fake People API
package main

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/cldpeople/cloudinary-people-go/examples/internal/setup"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopleotel"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		setup.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	defer tp.Shutdown(context.Background()) // flushes the spans; without a collector it reports that it could not
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	otel.SetTextMapPropagator(propagation.TraceContext{})

	client, _, done := setup.Client(peopleotel.Instrument(peopleotel.WithTracerProvider(tp), peopleotel.WithMeterProvider(mp)))
	defer done()
	for _, err := range client.AllPeople(ctx, wrapper.ListOptions{MaxResults: 5}) {
		if err != nil {
			setup.Fatal(err)
		}
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		setup.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			fmt.Println("metric:", m.Name)
		}
	}
}
