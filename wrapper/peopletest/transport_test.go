package peopletest_test

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

// Not parallel: it measures the allocations of the whole process.
func TestValidatingTransportCapsBodies(t *testing.T) {
	// 64 MiB of JSON whitespace gzips to a few hundred KB; buffering it
	// whole would allocate well over the 56 MiB asserted below.
	// A gzip stream may hold many members, read as one: the megabyte of
	// spaces is compressed once and sent 64 times.
	member := func(b []byte) []byte {
		var out bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	spaces := member(bytes.Repeat([]byte(" "), 1<<20))
	bomb := bytes.NewBuffer(member([]byte(`{"people":[`)))
	for range 64 {
		bomb.Write(spaces)
	}
	bomb.Write(member([]byte(`]}`)))
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
	t.Parallel()
	req, err := http.NewRequest(http.MethodPut, "http://127.0.0.1:1/v1_1/demo/people/p1", io.NopCloser(failingReader{}))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Basic eDp5")
	_, err = peopletest.ValidatingTransport(nil).RoundTrip(req)
	require.Error(t, err)
	assert.NotErrorIs(t, err, peopletest.ErrContractViolation)
	assert.ErrorContains(t, err, "disk on fire")
}

func TestForbiddenRequestThroughValidatingTransportNamesTheRule(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := peopletest.NewServer(t)
	hc := &http.Client{Transport: peopletest.ValidatingTransport(nil)}
	c := s.Client(wrapper.WithHTTPClient(hc), wrapper.WithMaxRetries(0))
	raw := c.Generated()

	t.Run("max_results above the maximum", func(t *testing.T) {
		tooMany := 500
		_, err := raw.ListPeopleWithResponse(ctx, s.CloudName, &generated.ListPeopleParams{MaxResults: &tooMany})
		var cerr *peopletest.ContractError
		require.ErrorAs(t, err, &cerr)
		assert.ErrorIs(t, err, peopletest.ErrContractViolation)
		assert.Equal(t, peopletest.PhaseRequest, cerr.Phase)
		assert.Equal(t, "listPeople", cerr.Operation)
		assert.Contains(t, cerr.Rule, "max_results")
		assert.Contains(t, cerr.Rule, "100")
	})
	t.Run("an unknown status in an update", func(t *testing.T) {
		_, err := raw.UpdatePersonWithResponse(ctx, s.CloudName, "p1", generated.UpdatePersonRequest{Status: "zz_unknown_status"})
		var cerr *peopletest.ContractError
		require.ErrorAs(t, err, &cerr)
		assert.Equal(t, "updatePerson", cerr.Operation)
		assert.Contains(t, cerr.Rule, "/status")
	})
	assert.Zero(t, s.RequestCount(), "the transport must stop invalid requests")

	t.Run("valid traffic passes untouched", func(t *testing.T) {
		_, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 100})
		assert.NoError(t, err)
	})
}

func TestValidatingTransportRejectsResponsesThatBreakTheSpec(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	cases := map[string]struct {
		status int
		body   string
		rule   string
	}{
		"missing required id":       {200, `{"person":{"name":"A","status":"active"}}`, "id"},
		"three-number box":          {200, `{"person":{"id":"p","name":null,"status":"active","thumbnail":{"bounding_box":[1,2,3]}}}`, "bounding_box"},
		"status of the wrong type":  {200, `{"person":{"id":"p","name":"A","status":5}}`, "status"},
		"undocumented content type": {200, `<html></html>`, "Content-Type"},
		"error without message":     {404, `{"error":{}}`, "message"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if strings.HasPrefix(tc.body, "<") {
					w.Header().Set("Content-Type", "text/html")
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer api.Close()
			c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(api.URL),
				wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)}), wrapper.WithMaxRetries(0))
			require.NoError(t, err)
			_, err = c.GetPerson(ctx, "p")
			var cerr *peopletest.ContractError
			require.ErrorAs(t, err, &cerr)
			assert.Equal(t, peopletest.PhaseResponse, cerr.Phase)
			assert.Equal(t, "getPerson", cerr.Operation)
			assert.Contains(t, cerr.Rule+fmt.Sprint(cerr.Status), tc.rule)
		})
	}
}

func TestContractViolationsAreNotRetried(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := peopletest.NewServer(t)
	var attempts int
	vt := peopletest.ValidatingTransport(nil)
	counting := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts++
		return vt.RoundTrip(r)
	})
	c := s.Client(wrapper.WithHTTPClient(&http.Client{Transport: counting}))
	tooMany := 101
	_, err := c.Generated().ListPeopleWithResponse(ctx, s.CloudName, &generated.ListPeopleParams{MaxResults: &tooMany})
	require.ErrorIs(t, err, peopletest.ErrContractViolation)
	assert.Equal(t, 1, attempts, "a contract violation fails the same way every time")
}
