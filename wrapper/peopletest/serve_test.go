package peopletest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestPathsThatMatchNoOperation(t *testing.T) {
	for _, tc := range []struct{ name, method, path string }{
		{"a forgotten segment", http.MethodGet, "/v1_1/people"},
		{"a wrong prefix", http.MethodGet, "/v1/demo-cloud/people"},
		{"a double slash", http.MethodGet, "/v1_1//demo-cloud/people"},
		{"a double slash before the ID", http.MethodGet, "/v1_1/demo-cloud/people//p1"},
		{"a dot-dot segment", http.MethodGet, "/v1_1/demo-cloud/people/../people"},
		{"a method the path lacks", http.MethodDelete, "/v1_1/demo-cloud/people/p1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := quietServer(t)
			resp, body := call(t, s, tc.method, tc.path, "")
			assert.Equal(t, http.StatusNotFound, resp.StatusCode, "not a redirect, not a 401: %s", body)
			var e struct {
				Error struct{ Message string } `json:"error"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &e), "the API's error shape")
			assert.Contains(t, e.Error.Message, "GET /v1_1/{cloud_name}/people")
			assert.Equal(t, 1, s.RequestCount(), "counted")
			require.Len(t, s.Requests(), 1, "recorded")
			assert.Equal(t, tc.method, s.Requests()[0].Method)
			require.Len(t, s.ContractErrors(), 1, "a violation")
			assert.Equal(t, "request", s.ContractErrors()[0].Phase)
			assert.NotEmpty(t, resp.Header.Values(peopletest.ViolationHeader))
		})
	}
}

func TestPreferAsksForADocumentedStatus(t *testing.T) {
	ctx := t.Context()
	s := quietServer(t)
	list := "/v1_1/" + s.CloudName + "/people"
	t.Run("a documented error status", func(t *testing.T) {
		resp, body := call(t, s, http.MethodGet, list, "", "Prefer", "code=503")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.JSONEq(t, `{"error":{"message":"Service Unavailable"}}`, body)
		assert.NotEmpty(t, resp.Header.Get("X-FeatureRateLimit-Remaining"))
	})
	for _, code := range []int{420, 429} {
		t.Run("a rate limit carries Retry-After", func(t *testing.T) {
			resp, _ := call(t, s, http.MethodGet, list, "", "Prefer", "code="+strconv.Itoa(code))
			assert.Equal(t, code, resp.StatusCode)
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
			assert.NotEmpty(t, resp.Header.Get("X-FeatureRateLimit-Limit"))
			assert.NotEmpty(t, resp.Header.Get("X-FeatureRateLimit-Reset"))
		})
	}
	t.Run("an undocumented code is a 400 that says so", func(t *testing.T) {
		resp, body := call(t, s, http.MethodGet, list, "", "Prefer", "code=409")
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, body, "409")
		assert.Contains(t, body, "listPeople documents")
	})
	t.Run("200 answers normally", func(t *testing.T) {
		resp, body := call(t, s, http.MethodGet, list, "", "Prefer", "code=200")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, body, `"people"`)
	})
	t.Run("a client retries a preferred 503 like any other", func(t *testing.T) {
		before := s.RequestCount()
		_, err := s.Client(wrapper.WithMaxRetries(1)).Generated().ListPeople(ctx, s.CloudName, nil, func(_ context.Context, r *http.Request) error {
			r.Header.Set("Prefer", "code=503")
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, before+2, s.RequestCount())
	})
	assert.Empty(t, s.ContractErrors(), "preferred answers keep the contract")
}

func TestViolationsAreNamedOnTheAnswer(t *testing.T) {
	s := quietServer(t)
	resp, _ := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?max_results=500", "")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	got := resp.Header.Values(peopletest.ViolationHeader)
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "request: parameter max_results")

	s.InjectFault(1, peopletest.Fault{Body: `{"people":7}`})
	resp, _ = call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	got = resp.Header.Values(peopletest.ViolationHeader)
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "response:")

	resp, _ = call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	assert.Empty(t, resp.Header.Values(peopletest.ViolationHeader), "a good call carries none")
}

func TestAnInjectedBrokenAnswerDoesNotFailTheTest(t *testing.T) {
	ctx := t.Context()
	tb := &recordingTB{}
	defer tb.close()
	s := peopletest.NewServer(tb)
	s.InjectFault(1, peopletest.Fault{Body: `{"people":7}`})
	_, err := s.Client().ListPeople(ctx, wrapper.ListOptions{})
	require.ErrorIs(t, err, wrapper.ErrMalformedResponse)
	assert.Empty(t, tb.errors, "the test asked for this answer")
	require.Len(t, s.ContractErrors(), 1, "still recorded")
	assert.True(t, s.ContractErrors()[0].Injected)

	t.Run("a violation the test did not ask for still fails it", func(t *testing.T) {
		tooMany := 500
		_, _ = s.Client(wrapper.WithMaxRetries(0)).Generated().ListPeople(ctx, s.CloudName, &generated.ListPeopleParams{MaxResults: &tooMany})
		assert.NotEmpty(t, tb.errors)
	})
}

func TestServerReportsViolationsToTheTest(t *testing.T) {
	tb := &recordingTB{}
	s := peopletest.NewServer(tb)
	defer tb.close()
	t.Run("a request the spec forbids", func(t *testing.T) {
		// Bypass the SDK's own checks to send what the spec forbids.
		req, err := http.NewRequest(http.MethodGet, s.URL+"/v1_1/"+s.CloudName+"/people?sort_by=age&max_results=0", nil)
		require.NoError(t, err)
		req.SetBasicAuth(s.APIKey, s.APISecret)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "like the API")
		require.Len(t, tb.errors, 1, "one violation")
		assert.Contains(t, tb.errors[0], "sort_by")
		assert.Contains(t, tb.errors[0], "max_results")
		assert.Len(t, s.Violations(), 1)
	})
	t.Run("no credentials break the security rule", func(t *testing.T) {
		resp, err := http.Get(s.URL + "/v1_1/" + s.CloudName + "/people")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Len(t, tb.errors, 2)
		assert.Contains(t, tb.errors[1], "security")
	})
}
