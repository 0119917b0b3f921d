package peopletest_test

// Regression tests for the contract kit's defects (issue 8, points 11, 12
// and 17).

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestValidatingTransportCapsBodies(t *testing.T) {
	// 64 MiB of JSON whitespace gzips to a few hundred KB; buffering it
	// whole would allocate well over the 56 MiB asserted below.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	zw.Write([]byte(`{"people":[`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 64 {
		zw.Write(chunk)
	}
	zw.Write([]byte(`]}`))
	zw.Close()
	cases := []struct {
		name   string
		status int
		body   []byte
		gzip   bool
	}{
		{"gzip bomb on a 200", 200, bomb.Bytes(), true},
		{"9 MiB 200", 200, append(append([]byte(`{"people":[`), bytes.Repeat([]byte(" "), 9<<20)...), ']', '}'), false},
		{"65 KiB error", 500, append(append([]byte(`{"error":{"message":"`), bytes.Repeat([]byte("x"), 65<<10)...), []byte(`"}}`)...), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tc.gzip {
					w.Header().Set("Content-Encoding", "gzip")
				}
				w.WriteHeader(tc.status)
				w.Write(tc.body)
			}))
			defer srv.Close()
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1_1/demo/people", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Basic eDp5")
			if tc.gzip {
				// Asked for by hand, the transport leaves the body
				// compressed; decompress it as a client library would.
				req.Header.Set("Accept-Encoding", "gzip")
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			tr := peopletest.ValidatingTransport(gunzipping{http.DefaultTransport})
			resp, err := tr.RoundTrip(req)
			runtime.ReadMemStats(&after)
			if resp != nil {
				resp.Body.Close()
			}
			assert.ErrorIs(t, err, peopletest.ErrBodyTooLarge)
			assert.ErrorIs(t, err, wrapper.ErrResponseTooLarge)
			assert.NotErrorIs(t, err, peopletest.ErrContractViolation)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(56<<20), "allocated while refusing the body")
		})
	}
}

// gunzipping inflates gzip answers, as a client that asked for gzip does.
type gunzipping struct{ base http.RoundTripper }

func (g gunzipping) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.base.RoundTrip(r)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		return resp, err
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{zr, resp.Body}
	resp.Header.Del("Content-Encoding")
	resp.ContentLength = -1
	return resp, nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestValidatingTransportUnreadableRequestBodyIsARequestError(t *testing.T) {
	req, err := http.NewRequest(http.MethodPut, "http://127.0.0.1:1/v1_1/demo/people/p1", io.NopCloser(failingReader{}))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Basic eDp5")
	_, err = peopletest.ValidatingTransport(nil).RoundTrip(req)
	require.Error(t, err)
	assert.NotErrorIs(t, err, peopletest.ErrContractViolation)
	assert.ErrorContains(t, err, "disk on fire")
}

// walk ranges over every person with opts, calling during after each
// person; it returns how often each ID was seen.
func walk(t *testing.T, c *wrapper.Client, opts wrapper.ListOptions, during func(p wrapper.Person)) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for p, err := range c.AllPeople(ctx, opts) {
		require.NoError(t, err)
		seen[p.ID]++
		during(p)
	}
	return seen
}

func TestFakeCursorsSurviveChangesMidWalk(t *testing.T) {
	t.Run("walking by updated_at while updating each person seen", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(50))
		c := s.Client()
		seen := walk(t, c, wrapper.ListOptions{MaxResults: 5, SortBy: wrapper.SortByUpdatedAt}, func(p wrapper.Person) {
			_, err := c.UpdatePerson(ctx, p.ID, wrapper.PersonUpdate{Status: wrapper.StatusHidden})
			require.NoError(t, err)
		})
		// Each update moves the person to the end of the order, where the
		// walk may meet them again; no one may be skipped.
		assert.Len(t, seen, 50, "people skipped")
	})
	t.Run("naming the unnamed while walking name_status=unnamed", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(80))
		c := s.Client()
		unnamed := 0
		for _, p := range s.People() {
			if p.Name == "" {
				unnamed++
			}
		}
		require.Equal(t, 20, unnamed)
		n := 0
		seen := walk(t, c, wrapper.ListOptions{MaxResults: 3, NameStatus: wrapper.NameStatusUnnamed}, func(p wrapper.Person) {
			n++
			_, err := c.UpdatePerson(ctx, p.ID, wrapper.PersonUpdate{Name: fmt.Sprintf("Named %d", n)})
			require.NoError(t, err)
		})
		assert.Len(t, seen, 20)
		for id, times := range seen {
			assert.Equal(t, 1, times, id)
		}
	})
	t.Run("people who do not change are seen exactly once", func(t *testing.T) {
		s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(60))
		c := s.Client()
		all := s.People()
		i := 0
		seen := walk(t, c, wrapper.ListOptions{MaxResults: 7, SortBy: wrapper.SortByName, Direction: wrapper.DirectionDesc}, func(wrapper.Person) {
			// Rename someone at the far end of the list, each time.
			i++
			_, err := c.UpdatePerson(ctx, all[i%len(all)].ID, wrapper.PersonUpdate{Name: fmt.Sprintf("Aaa %02d", i)})
			require.NoError(t, err)
		})
		changed := map[string]bool{}
		for j := 1; j <= i; j++ {
			changed[all[j%len(all)].ID] = true
		}
		for _, p := range all {
			if !changed[p.ID] {
				assert.Equal(t, 1, seen[p.ID], "unchanged %s (%q)", p.ID, p.Name)
			}
		}
	})
}

func TestFakeSendsNullNameForUnnamedPeople(t *testing.T) {
	s := peopletest.NewServer(t)
	c := s.Client()
	var unnamed string
	for _, p := range s.People() {
		if p.Name == "" {
			unnamed = p.ID
		}
	}
	require.NotEmpty(t, unnamed)
	g := c.Generated()
	up, err := g.UpdatePersonWithResponse(ctx, c.CloudName(), unnamed, generatedUpdate(wrapper.StatusHidden))
	require.NoError(t, err)
	require.Equal(t, 200, up.StatusCode())
	assert.Contains(t, string(up.Body), `"name":null`, "update answer")
	got, err := g.GetPersonWithResponse(ctx, c.CloudName(), unnamed)
	require.NoError(t, err)
	assert.Contains(t, string(got.Body), `"name":null`, "get answer")
	list, err := g.ListPeopleWithResponse(ctx, c.CloudName(), nil)
	require.NoError(t, err)
	assert.Contains(t, string(list.Body), `"name":null`, "list answer")
	assert.False(t, strings.Contains(string(list.Body), `"name":""`))
}

func generatedUpdate(status wrapper.Status) generated.UpdatePersonRequest {
	return generated.UpdatePersonRequest{Status: generated.PersonStatus(status)}
}
