package peopleotel_test

import (
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopleotel"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The cost of instrumenting a Client: none, with the global providers
// (no-op until a program sets them), and with the SDK recording.
func BenchmarkInstrumented(b *testing.B) {
	s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(100), peopletest.WithoutValidation())
	id := s.People()[0].ID
	recording := peopleotel.Instrument(
		peopleotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))),
		peopleotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))),
	)
	for _, v := range []struct {
		name string
		opt  wrapper.Option
	}{
		{"none", nil},
		{"noop", peopleotel.Instrument()},
		{"recording", recording},
	} {
		c := s.Client()
		if v.opt != nil {
			c = s.Client(v.opt)
		}
		b.Run("GetPerson/"+v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetPerson(b.Context(), id); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ListPeople/"+v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.ListPeople(b.Context(), wrapper.ListOptions{MaxResults: 100}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
