package wrapper_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The benchmarks compare the wrapper with the client a careful Go developer
// would write by hand with net/http and encoding/json, against the same
// loopback server in the same run. The server answers pre-encoded bytes so
// that its own cost is small and equal for both.

// rawPerson is what a hand-written client would decode into.
type rawPerson struct {
	ID        string        `json:"id"`
	Name      *string       `json:"name"`
	Status    string        `json:"status"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	Thumbnail *rawThumbnail `json:"thumbnail,omitempty"`
}

type rawThumbnail struct {
	AssetID      string `json:"asset_id"`
	BoundingBox  []int  `json:"bounding_box"`
	URL          string `json:"url"`
	ResourceType string `json:"resource_type"`
	Type         string `json:"type"`
	PublicID     string `json:"public_id"`
	Version      int64  `json:"version"`
}

type rawClient struct {
	hc          *http.Client
	base, cloud string
	auth        string
}

func (c *rawClient) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1_1/"+c.cloud+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.auth)
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// pageJSON encodes n synthetic people the way the API does.
func pageJSON(start, n int, next string) []byte {
	created := time.Date(2024, 6, 10, 9, 13, 20, 0, time.UTC)
	people := make([]rawPerson, n)
	for i := range people {
		k := start + i
		name := fmt.Sprintf("Person %06d", k)
		people[i] = rawPerson{
			ID: fmt.Sprintf("%064x", k), Name: &name, Status: "active",
			Thumbnail: &rawThumbnail{AssetID: fmt.Sprintf("%032x", k), BoundingBox: []int{k % 900, k % 700, 96, 112},
				URL:          "https://res.cloudinary.com/demo/image/upload/v1718000000/people/p" + strconv.Itoa(k) + ".jpg",
				ResourceType: "image", Type: "upload", PublicID: "people/p" + strconv.Itoa(k), Version: 1718000000},
			CreatedAt: created, UpdatedAt: created.Add(48 * time.Hour),
		}
	}
	body := map[string]any{"people": people}
	if next != "" {
		body["next_cursor"] = next
	}
	b, _ := json.Marshal(body)
	return b
}

func staticServer(b *testing.B, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Header().Set("X-FeatureRateLimit-Limit", "2000")
		w.Header().Set("X-FeatureRateLimit-Remaining", "1999")
		w.Header().Set("X-FeatureRateLimit-Reset", "Wed, 03 Oct 2012 08:00:00 GMT")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClients(b *testing.B, srv *httptest.Server) (*wrapper.Client, *rawClient) {
	c, err := wrapper.New(wrapper.WithCloudName("bench"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 128
	// A careful hand-written client sets a timeout too; the wrapper has one by default.
	return c, &rawClient{hc: &http.Client{Transport: tr, Timeout: wrapper.DefaultTimeout}, base: srv.URL, cloud: "bench", auth: "Basic az pz"}
}

func BenchmarkListPeople100(b *testing.B) {
	srv := staticServer(b, pageJSON(0, 100, "next"))
	c, raw := benchClients(b, srv)
	ctx := context.Background()
	b.Run("wrapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			page, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 100})
			if err != nil || len(page.People) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var page struct {
				People     []rawPerson `json:"people"`
				NextCursor string      `json:"next_cursor"`
			}
			if err := raw.get(ctx, "/people?max_results=100", &page); err != nil || len(page.People) != 100 {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGetPerson(b *testing.B) {
	one := pageJSON(7, 1, "")
	var env struct {
		People []json.RawMessage `json:"people"`
	}
	json.Unmarshal(one, &env)
	srv := staticServer(b, []byte(`{"person":`+string(env.People[0])+`}`))
	c, raw := benchClients(b, srv)
	ctx := context.Background()
	b.Run("wrapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.GetPerson(ctx, "p7"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Person rawPerson `json:"person"`
			}
			if err := raw.get(ctx, "/people/p7", &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAllPeople100k walks 100,000 people in 1,000 pages and reports the
// heap in use after 10,000 and after 100,000: the iterator holds one page,
// so the two should match. The server makes each page on the fly, so it
// holds nothing either.
func BenchmarkAllPeople100k(b *testing.B) {
	const total, size = 100_000, 100
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.Atoi(r.URL.Query().Get("next_cursor"))
		next := ""
		if start+size < total {
			next = strconv.Itoa(start + size)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(pageJSON(start, size, next))
	}))
	defer srv.Close()
	c, _ := benchClients(b, srv)
	heapInUse := func() float64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapInuse)
	}
	b.ReportAllocs()
	var at10k, at100k float64
	for b.Loop() {
		n := 0
		for _, err := range c.AllPeople(context.Background(), wrapper.ListOptions{MaxResults: size}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			switch n {
			case 10_000:
				at10k = heapInUse()
			case total:
				at100k = heapInUse()
			}
		}
		if n != total {
			b.Fatalf("walked %d people", n)
		}
	}
	b.ReportMetric(at10k, "heap-at-10k-bytes")
	b.ReportMetric(at100k, "heap-at-100k-bytes")
}

// BenchmarkParallel64 shares one Client among 64 goroutines and counts the
// TCP connections the server accepted: with the wrapper's transport they stay
// near the concurrency; with Go's default of 2 idle connections per host
// they grow with the number of requests.
func BenchmarkParallel64(b *testing.B) {
	body := []byte(`{"person":{"id":"p1","name":"Ann","status":"active"}}`)
	for _, tc := range []struct {
		name string
		opts []wrapper.Option
	}{
		{"wrapper-transport", nil},
		{"go-default-transport", []wrapper.Option{wrapper.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()})}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var conns atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(body)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			opts := append([]wrapper.Option{wrapper.WithCloudName("bench"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(srv.URL)}, tc.opts...)
			c, err := wrapper.New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			b.SetParallelism(64 / runtime.GOMAXPROCS(0))
			b.ReportAllocs()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.GetPerson(context.Background(), "p1"); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			b.ReportMetric(float64(conns.Load()), "tcp-conns")
		})
	}
}

// BenchmarkValidatingTransport is what contract checking adds to a call,
// against the fake server with its own validation off.
func BenchmarkValidatingTransport(b *testing.B) {
	s := peopletest.NewServer(b, peopletest.WithoutValidation())
	id := s.People()[0].ID
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts []wrapper.Option
	}{
		{"validating", []wrapper.Option{wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)})}},
		{"plain", nil},
	} {
		c := s.Client(tc.opts...)
		b.Run("GetPerson/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetPerson(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ListPeople/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 12}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWalkCalls10k counts the calls a full walk of 10,000 people
// takes: AllPeople with MaxResults 0 asks for 100 a page, where the
// server's default page of 50 would need twice as many.
func BenchmarkWalkCalls10k(b *testing.B) {
	const total = 10_000
	s := peopletest.NewServer(b, peopletest.WithGeneratedPeople(total), peopletest.WithoutValidation(), peopletest.WithHourlyLimit(1_000_000, time.Hour))
	c := s.Client()
	for _, tc := range []struct {
		name string
		size int
	}{{"allpeople-default", 0}, {"server-default-50", 50}} {
		b.Run(tc.name, func(b *testing.B) {
			var calls int
			for b.Loop() {
				before, n := s.RequestCount(), 0
				for _, err := range c.AllPeople(context.Background(), wrapper.ListOptions{MaxResults: tc.size}) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != total {
					b.Fatalf("walked %d people", n)
				}
				calls = s.RequestCount() - before
			}
			b.ReportMetric(float64(calls), "calls/walk")
		})
	}
}
