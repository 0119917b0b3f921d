package peopletest_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestPathsThatMatchNoOperation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, method, path string }{
		{"a forgotten segment", http.MethodGet, "/v1_1/people"},
		{"a wrong prefix", http.MethodGet, "/v1/demo-cloud/people"},
		{"a double slash", http.MethodGet, "/v1_1//demo-cloud/people"},
		{"a double slash before the ID", http.MethodGet, "/v1_1/demo-cloud/people//p1"},
		{"a dot-dot segment", http.MethodGet, "/v1_1/demo-cloud/people/../people"},
		{"a trailing slash", http.MethodGet, "/v1_1/demo-cloud/people/"},
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
			assert.Equal(t, peopletest.PhaseRequest, s.ContractErrors()[0].Phase)
			assert.NotEmpty(t, resp.Header.Values(peopletest.ViolationHeader))
		})
	}
}

func TestAMethodThePathLacksIs405WithAllow(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodDelete, "/v1_1/demo-cloud/people/p1", "GET, PUT"},
		{http.MethodPost, "/v1_1/demo-cloud/people", "GET"},
		// A concrete path wins over a templated one: inspect is no person.
		{http.MethodGet, "/v1_1/demo-cloud/people/inspect", "POST"},
		{http.MethodPut, "/v1_1/demo-cloud/people/inspect", "POST"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := call(t, s, tc.method, tc.path, "")
			assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, body)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
			assert.Contains(t, body, "is not allowed")
			assert.NotEmpty(t, resp.Header.Values(peopletest.ViolationHeader))
		})
	}
}

func TestTrailingSlashSaysSo(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	call(t, s, http.MethodGet, "/v1_1/demo-cloud/people/", "")
	require.Len(t, s.ContractErrors(), 1)
	assert.Contains(t, s.ContractErrors()[0].Rule, "ends with")
	assert.NotContains(t, s.ContractErrors()[0].Rule, "not clean")
}

func TestAWrongCloudNameGetsAHint(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	resp, body := call(t, s, http.MethodGet, "/v1_1/other-cloud/people", "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, body, `this fake serves the cloud \"demo-cloud\"`)
}

func TestPreferWithACodeThatIsNoStatusIsRefused(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	list := "/v1_1/" + s.CloudName + "/people"
	for _, code := range []string{"abc", "999", "-1", "0", "5O3", "5 03", "0503"} {
		t.Run(code, func(t *testing.T) {
			resp, body := call(t, s, http.MethodGet, list, "", "Prefer", "code="+code)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Contains(t, body, "not an HTTP status code")
		})
	}
}

func TestPreferAsksForADocumentedStatus(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

func TestAQueuedFaultWaitsForACallTheRateLimitLetsThrough(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	list := "/v1_1/" + s.CloudName + "/people"
	var refused, let *http.Response
	overPipe(t, s, func(t *testing.T, hc *http.Client, base string) {
		s.SetRateLimit(0, time.Now().Add(300*time.Millisecond))
		s.FailNext(1, http.StatusServiceUnavailable)
		refused, _ = requestWith(t, hc, http.MethodGet, base+list, "")
		time.Sleep(350 * time.Millisecond)
		let, _ = requestWith(t, hc, http.MethodGet, base+list, "")
	})
	require.Equal(t, 420, refused.StatusCode)
	assert.Equal(t, http.StatusServiceUnavailable, let.StatusCode, "the fault was kept for this call")
}

func TestCutBodyCutsTheAnswerTheCallWouldGet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, path string
		auth       bool
		want       int
	}{
		{"no credentials: the 401", "/v1_1/demo-cloud/people", false, http.StatusUnauthorized},
		{"a path of no operation: the 404", "/v1_1/people", true, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := quietServer(t)
			s.InjectFault(1, peopletest.Fault{CutBody: true})
			req, err := http.NewRequest(http.MethodGet, s.URL+tc.path, nil)
			require.NoError(t, err)
			if tc.auth {
				req.SetBasicAuth(s.APIKey, s.APISecret)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
			body, _ := io.ReadAll(resp.Body)
			assert.NotContains(t, string(body), `"people"`, "no people data without the right to see it")
		})
	}
}

func TestDriftIsNamedOnTheAnswer(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	s.InjectFault(1, peopletest.Fault{Status: http.StatusConflict})
	resp, _ := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	assert.Equal(t, http.StatusConflict, resp.StatusCode)
	require.NotEmpty(t, resp.Header.Values(peopletest.DriftHeader))
	assert.Contains(t, resp.Header.Get(peopletest.DriftHeader), "409")
}

func TestAnEmptyNameIsRefusedAndNamedAsABreak(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"name":""}`, `{"name":"","status":"hidden"}`} {
		t.Run(body, func(t *testing.T) {
			s := quietServer(t)
			id := s.People()[0].ID
			before, _ := s.Person(id)
			resp, answer := call(t, s, http.MethodPut, "/v1_1/"+s.CloudName+"/people/"+id, body, "Content-Type", "application/json")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, answer)
			assert.NotEmpty(t, resp.Header.Values(peopletest.ViolationHeader))
			after, _ := s.Person(id)
			assert.Equal(t, before, after, "nothing changed")
		})
	}
}

func TestAnEmptyNextCursorIsNoCursor(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	list := "/v1_1/" + s.CloudName + "/people?max_results=3"
	_, first := call(t, s, http.MethodGet, list, "")
	resp, withEmpty := call(t, s, http.MethodGet, list+"&next_cursor=", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, withEmpty)
	assert.JSONEq(t, first, withEmpty)
	assert.Empty(t, s.ContractErrors())
}

func TestARepeatedSingleValuedParameterBreaksTheContract(t *testing.T) {
	t.Parallel()
	for _, query := range []string{"max_results=5&max_results=500", "sort_by=name&sort_by=bogus", "max_results=5&max_results=6"} {
		t.Run(query, func(t *testing.T) {
			s := quietServer(t)
			resp, body := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?"+query, "")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			require.Len(t, s.ContractErrors(), 1)
			assert.Contains(t, s.ContractErrors()[0].Rule, "given 2 times")
		})
	}
}

func TestA420CarriesItsReasonPhrase(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v1_1/%s/people HTTP/1.1\r\nHost: x\r\nPrefer: code=420\r\nAuthorization: Basic %s\r\n\r\n",
		s.CloudName, base64.StdEncoding.EncodeToString([]byte(s.APIKey+":"+s.APISecret)))
	line, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 420 Enhance Your Calm\r\n", line)
	t.Run("clients read the answer whole", func(t *testing.T) {
		resp, body := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "", "Prefer", "code=420")
		assert.Equal(t, 420, resp.StatusCode)
		assert.JSONEq(t, `{"error":{"message":"Rate Limit Exceeded"}}`, body)
		assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	})
}

func TestConformanceAgainstAFakeWithATFailsNothing(t *testing.T) {
	t.Parallel()
	rt := &recordingTB{}
	defer rt.close()
	s := peopletest.NewServer(rt)
	report, err := peopletest.Conformance(t.Context(), target(s, true))
	require.NoError(t, err)
	assert.Empty(t, report.Failures())
	assert.Empty(t, rt.errors, "the probes' deliberate breaks do not fail the test")
	t.Run("the breaks are recorded, marked injected", func(t *testing.T) {
		errs := s.ContractErrors()
		require.NotEmpty(t, errs)
		for _, e := range errs {
			assert.True(t, e.Injected, "%v", e)
		}
		assert.Equal(t, s.Totals().Violations, s.Totals().Injected)
	})
	t.Run("the same break without the marker still fails the test", func(t *testing.T) {
		resp, _ := call(t, s, "GET", "/v1_1/"+s.CloudName+"/people?max_results=500", "")
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Len(t, rt.errors, 1)
	})
}
