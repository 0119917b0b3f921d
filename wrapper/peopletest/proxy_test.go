package peopletest_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// proxied starts a fake upstream and a Proxy in front of it.
func proxied(t *testing.T, opts ...peopletest.ProxyOption) (upstream *peopletest.Server, proxy *peopletest.Proxy, url string) {
	t.Helper()
	upstream = quietServer(t)
	opts = append([]peopletest.ProxyOption{peopletest.OnViolation(func(*peopletest.ContractError) {})}, opts...)
	proxy, err := peopletest.NewProxy(upstream.URL, opts...)
	require.NoError(t, err)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return upstream, proxy, front.URL
}

func send(t *testing.T, method, url, body string, header ...string) *http.Response {
	t.Helper()
	resp, _ := request(t, method, url, body, header...)
	return resp
}

func TestTheProxyForwardsOnlyReadsWithoutAllowWrites(t *testing.T) {
	t.Parallel()
	upstream, _, front := proxied(t)
	people := front + "/v1_1/" + upstream.CloudName + "/people"
	id := upstream.People()[0].ID
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
		allow                    string
	}{
		// A write: 405, and Allow names the reads of the path.
		{"PUT", http.MethodPut, "/" + id, `{"name":"X"}`, nil, http.StatusMethodNotAllowed, "GET"},
		{"lower-case put", "put", "/" + id, `{"name":"X"}`, nil, http.StatusMethodNotAllowed, "GET, PUT"},
		// A method the path lacks: 405, as the fake answers it.
		{"PATCH", http.MethodPatch, "/" + id, `{"name":"X"}`, nil, http.StatusMethodNotAllowed, "GET, PUT"},
		{"DELETE", http.MethodDelete, "/" + id, "", nil, http.StatusMethodNotAllowed, "GET, PUT"},
		{"POST with X-HTTP-Method-Override", http.MethodPost, "/" + id, `{"name":"X"}`, []string{"X-HTTP-Method-Override", "PUT"}, http.StatusMethodNotAllowed, "GET, PUT"},
		{"POST with _method", http.MethodPost, "/" + id + "?_method=PUT", `{"name":"X"}`, nil, http.StatusMethodNotAllowed, "GET, PUT"},
		// A read that an override could make a write: 403.
		{"GET with a method override", http.MethodGet, "/" + id, "", []string{"X-HTTP-Method", "PUT"}, http.StatusForbidden, ""},
		{"a path of no operation", http.MethodGet, "/../admin", "", nil, http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := upstream.RequestCount()
			resp := send(t, tc.method, people+tc.path, tc.body, tc.header...)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
			assert.Equal(t, before, upstream.RequestCount(), "nothing reached the upstream")
		})
	}
	t.Run("GET and the inspect POST pass", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, send(t, http.MethodGet, people+"/"+id, "").StatusCode)
		inspect := `{"inspections":{"Person":{"items":{"a":"` + id + `"},"actions":{"read":{}}}}}`
		assert.Equal(t, http.StatusOK, send(t, http.MethodPost, people+"/inspect", inspect, "Content-Type", "application/json").StatusCode)
	})
	p, _ := upstream.Person(id)
	assert.Equal(t, upstream.People()[0].Name, p.Name)
}

func TestTheProxyCanRejectInvalidRequests(t *testing.T) {
	t.Parallel()
	upstream, _, front := proxied(t, peopletest.RejectInvalid())
	resp := send(t, http.MethodGet, front+"/v1_1/"+upstream.CloudName+"/people?max_results=500", "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, resp.Header.Get(peopletest.ViolationHeader), "max_results")
	assert.Zero(t, upstream.RequestCount(), "not forwarded")

	resp = send(t, http.MethodGet, front+"/v1_1/"+upstream.CloudName+"/people?max_results=5", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, upstream.RequestCount())
}

func TestTheProxyForwardsEachCallOnce(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	upstream, _, front := proxied(t)
	c, err := wrapper.New(wrapper.WithCloudName(upstream.CloudName), wrapper.WithAPIKey(upstream.APIKey),
		wrapper.WithAPISecret(upstream.APISecret), wrapper.WithBaseURL(front), wrapper.WithMaxRetries(0))
	require.NoError(t, err)
	id := upstream.People()[0].ID
	_, err = c.GetPerson(ctx, id) // the proxy now has a connection to reuse
	require.NoError(t, err)
	before := upstream.RequestCount()
	upstream.InjectFault(1, peopletest.Fault{DropConnection: true})
	_, err = c.GetPerson(ctx, id)
	var apiErr *wrapper.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "did not answer")
	assert.Equal(t, before+1, upstream.RequestCount(), "one call in, one call out")
}

func TestTheProxyNamesViolationsAndDrift(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var drift []peopletest.Drift
	upstream, proxy, front := proxied(t, peopletest.OnDrift(func(d peopletest.Drift) {
		mu.Lock()
		defer mu.Unlock()
		drift = append(drift, d)
	}))
	id := upstream.People()[0].ID
	get := front + "/v1_1/" + upstream.CloudName + "/people/" + id

	upstream.InjectFault(1, peopletest.Fault{Body: `{"person":{"name":5}}`})
	resp := send(t, http.MethodGet, get, "")
	assert.Contains(t, resp.Header.Get(peopletest.ViolationHeader), "response")

	upstream.InjectFault(1, peopletest.Fault{Body: `{"person":{"id":"` + id + `","status":"zz_unknown_status","zz_undeclared_probe":3}}`})
	resp = send(t, http.MethodGet, get, "")
	assert.Empty(t, resp.Header.Values(peopletest.ViolationHeader), "drift is no violation")
	mu.Lock()
	defer mu.Unlock()
	assert.ElementsMatch(t, []peopletest.Drift{
		{Operation: "getPerson", Status: 200, Where: "/person/zz_undeclared_probe", Kind: peopletest.DriftProperty, Value: "3", Schema: map[string]any{"type": "integer"}},
		{Operation: "getPerson", Status: 200, Where: "/person/status", Kind: peopletest.DriftEnum, Value: `"zz_unknown_status"`},
	}, drift)
	assert.Len(t, proxy.Drift(), 2)
}

func TestNewProxyRefusesAnUpstreamThatWouldMisdirectCredentials(t *testing.T) {
	t.Parallel()
	for upstream, want := range map[string]string{
		"http://example.com":                   "clear text",
		"http://192.0.2.2:18090":               "clear text",
		"http://127.0.0.1:8080/v1_1":           "origin only",
		"https://api.cloudinary.com/v1_1/demo": "origin only",
		"https://u:p@api.cloudinary.com":       "credentials",
		"ftp://api.cloudinary.com":             "https",
	} {
		t.Run(upstream, func(t *testing.T) {
			_, err := peopletest.NewProxy(upstream)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
		})
	}
	for _, ok := range []string{"https://api.cloudinary.com", "https://api-eu.cloudinary.com/", "http://localhost:8080", "http://[::1]:9"} {
		t.Run(ok, func(t *testing.T) {
			_, err := peopletest.NewProxy(ok)
			assert.NoError(t, err)
		})
	}
}

func TestTheProxyAnswersAsTheAPIWould(t *testing.T) {
	t.Parallel()
	upstream, _, front := proxied(t, peopletest.RejectInvalid())
	t.Run("no credentials under RejectInvalid: 401", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, front+"/v1_1/"+upstream.CloudName+"/people", nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})
	t.Run("a path without /v1_1: 404 naming the People paths", func(t *testing.T) {
		resp, body := request(t, http.MethodGet, front+"/"+upstream.CloudName+"/people", "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Contains(t, body, "/v1_1/{cloud_name}/people")
		assert.NotContains(t, body, "allow-writes")
	})
	t.Run("a violation the upstream fake names already is named once", func(t *testing.T) {
		// Not rejected: a repeated parameter the upstream refuses too.
		_, _, plain := proxied(t)
		resp, _ := request(t, http.MethodGet, plain+"/v1_1/"+upstream.CloudName+"/people?max_results=5&max_results=6", "")
		values := resp.Header.Values(peopletest.ViolationHeader)
		require.NotEmpty(t, values)
		seen := map[string]bool{}
		for _, v := range values {
			assert.False(t, seen[v], "%q twice", v)
			seen[v] = true
		}
	})
}

// echoingUpstream answers every call with body, made by the request.
func echoingUpstream(t *testing.T, body func(r *http.Request) string, header ...string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Write([]byte(body(r)))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestTheProxyScrubsCredentialsTheUpstreamEchoes(t *testing.T) {
	t.Parallel()
	const secret = "echoed-SECRET-value-42"
	upstream := echoingUpstream(t, func(r *http.Request) string {
		_, s, _ := r.BasicAuth()
		return `{"people":[],"debug":{"api_secret":"` + s + `"},"echo-` + s + `":true}`
	})
	var reported []string
	var mu sync.Mutex
	p, err := peopletest.NewProxy(upstream, peopletest.OnDrift(func(d peopletest.Drift) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, d.String())
	}), peopletest.OnViolation(func(*peopletest.ContractError) {}))
	require.NoError(t, err)
	front := httptest.NewServer(p)
	t.Cleanup(front.Close)
	req, err := http.NewRequest(http.MethodGet, front.URL+"/v1_1/c/people", nil)
	require.NoError(t, err)
	req.SetBasicAuth("key", secret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	require.NotEmpty(t, p.Drift())
	for _, d := range p.Drift() {
		assert.NotContains(t, d.Where+d.Value, secret)
	}
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, reported)
	for _, line := range reported {
		assert.NotContains(t, line, secret)
	}
	for _, v := range resp.Header.Values(peopletest.DriftHeader) {
		assert.NotContains(t, v, secret)
	}
}

func TestTheProxyReportsNewDriftPastAFullList(t *testing.T) {
	t.Parallel()
	n := 0
	var mu sync.Mutex
	upstream := echoingUpstream(t, func(r *http.Request) string {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n == 1 {
			// The first answer fills the list at once.
			var b strings.Builder
			b.WriteString(`{"people":[]`)
			for i := range 1000 {
				fmt.Fprintf(&b, `,"first_%d":1`, i)
			}
			return b.String() + "}"
		}
		return fmt.Sprintf(`{"people":[],"new_%d":1}`, n)
	})
	var reported int
	p, err := peopletest.NewProxy(upstream, peopletest.OnDrift(func(peopletest.Drift) { reported++ }))
	require.NoError(t, err)
	front := httptest.NewServer(p)
	t.Cleanup(front.Close)
	for range 6 {
		request(t, http.MethodGet, front.URL+"/v1_1/c/people", "")
	}
	assert.Len(t, p.Drift(), 1000, "the list keeps the first 1,000")
	assert.Equal(t, 1005, reported, "every new finding is reported")
	assert.Equal(t, 1005, p.Totals().Drift)
}

func TestTheProxyReadsXGzipAsGzip(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"people":[]}`))
	zw.Close()
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "x-gzip")
		w.Write(zipped.Bytes())
	}))
	t.Cleanup(upstream.Close)
	var violations []*peopletest.ContractError
	p, err := peopletest.NewProxy(upstream.URL, peopletest.OnViolation(func(e *peopletest.ContractError) { violations = append(violations, e) }))
	require.NoError(t, err)
	front := httptest.NewServer(p)
	t.Cleanup(front.Close)
	req, _ := http.NewRequest(http.MethodGet, front.URL+"/v1_1/c/people", nil)
	req.SetBasicAuth("k", "s")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, violations)
}

func TestTheProxyHasTheServersAccessors(t *testing.T) {
	t.Parallel()
	upstream, proxy, front := proxied(t)
	send(t, http.MethodGet, front+"/v1_1/"+upstream.CloudName+"/people?max_results=500", "")
	require.Len(t, proxy.Requests(), 1)
	assert.Equal(t, "500", proxy.Requests()[0].Query.Get("max_results"))
	assert.Equal(t, http.StatusBadRequest, proxy.Requests()[0].Status)
	require.Len(t, proxy.Violations(), 1)
	assert.Contains(t, proxy.Violations()[0], "max_results")
	assert.Equal(t, peopletest.PhaseRequest, proxy.ContractErrors()[0].Phase)
}

func TestNilOptionsAreSkippedEverywhere(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, nil, peopletest.WithGeneratedPeople(3), nil)
	assert.Equal(t, 3, s.PeopleCount())
	_, err := peopletest.NewProxy(s.URL, nil)
	assert.NoError(t, err)
	assert.NotNil(t, peopletest.ValidatingTransport(nil, nil))
}

func TestAnEchoedSecretAtTheCutOfAFindingIsScrubbed(t *testing.T) {
	t.Parallel()
	const secret = "echoed-SECRET-value-42"
	// The echo starts a few bytes before a finding's example is cut.
	upstream := echoingUpstream(t, func(r *http.Request) string {
		_, s, _ := r.BasicAuth()
		return `{"people":[],"zz_undeclared_probe":"` + strings.Repeat("x", 72) + s + `"}`
	})
	call := func(t *testing.T, hc *http.Client, base string) {
		req, err := http.NewRequest(http.MethodGet, base+"/v1_1/c/people", nil)
		require.NoError(t, err)
		req.SetBasicAuth("key", secret)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	check := func(t *testing.T, found []peopletest.Drift) {
		require.NotEmpty(t, found)
		for _, d := range found {
			assert.NotContains(t, d.String(), secret[:6], "no piece of the secret at the cut")
		}
	}
	t.Run("the proxy", func(t *testing.T) {
		p, err := peopletest.NewProxy(upstream)
		require.NoError(t, err)
		front := httptest.NewServer(p)
		t.Cleanup(front.Close)
		call(t, http.DefaultClient, front.URL)
		check(t, p.Drift())
		overlay, err := peopletest.DriftOverlay(p.Drift())
		require.NoError(t, err)
		assert.NotContains(t, string(overlay), secret[:6])
	})
	t.Run("the validating transport", func(t *testing.T) {
		var found []peopletest.Drift
		hc := &http.Client{Transport: peopletest.ValidatingTransport(nil, peopletest.OnDrift(func(d peopletest.Drift) { found = append(found, d) }))}
		call(t, hc, upstream)
		check(t, found)
	})
	t.Run("conformance", func(t *testing.T) {
		report, err := peopletest.Conformance(t.Context(), peopletest.ConformanceTarget{BaseURL: upstream, CloudName: "c", APIKey: "key", APISecret: secret})
		require.NoError(t, err)
		check(t, report.Drift)
	})
}
