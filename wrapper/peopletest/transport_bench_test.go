package peopletest_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// BenchmarkValidatingTransportAlone measures the contract check itself:
// the base RoundTripper hands back a recorded answer, so no socket or
// server shares the time.
func BenchmarkValidatingTransportAlone(b *testing.B) {
	ctx := b.Context()
	s := peopletest.NewServer(b, peopletest.WithoutValidation())
	c := s.Client()
	page, err := c.Generated().ListPeopleWithResponse(ctx, s.CloudName, nil)
	if err != nil {
		b.Fatal(err)
	}
	id := s.People()[0].ID
	person, err := c.Generated().GetPersonWithResponse(ctx, s.CloudName, id)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		body       []byte
		header     http.Header
	}{
		{"GetPerson", "/v1_1/" + s.CloudName + "/people/" + id, person.Body, person.HTTPResponse.Header},
		{"ListPeople", "/v1_1/" + s.CloudName + "/people?max_results=12", page.Body, page.HTTPResponse.Header},
	} {
		recorded := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: tc.header, Body: io.NopCloser(bytes.NewReader(tc.body)), Request: r}, nil
		})
		rt := peopletest.ValidatingTransport(recorded)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+tc.path, nil)
				req.SetBasicAuth(s.APIKey, s.APISecret)
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}
