package peopletest_test

import (
	"net/http"
	"net/http/httptest"
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
	opts = append([]peopletest.ProxyOption{peopletest.OnProxyViolation(func(*peopletest.ContractError) {})}, opts...)
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
	upstream, _, front := proxied(t)
	people := front + "/v1_1/" + upstream.CloudName + "/people"
	id := upstream.People()[0].ID
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
	}{
		{"PUT", http.MethodPut, "/" + id, `{"name":"X"}`, nil},
		{"lower-case put", "put", "/" + id, `{"name":"X"}`, nil},
		{"PATCH", http.MethodPatch, "/" + id, `{"name":"X"}`, nil},
		{"DELETE", http.MethodDelete, "/" + id, "", nil},
		{"POST with X-HTTP-Method-Override", http.MethodPost, "/" + id, `{"name":"X"}`, []string{"X-HTTP-Method-Override", "PUT"}},
		{"POST with _method", http.MethodPost, "/" + id + "?_method=PUT", `{"name":"X"}`, nil},
		{"GET with a method override", http.MethodGet, "/" + id, "", []string{"X-HTTP-Method", "PUT"}},
		{"a path of no operation", http.MethodGet, "/../admin", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := upstream.RequestCount()
			resp := send(t, tc.method, people+tc.path, tc.body, tc.header...)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
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
	var mu sync.Mutex
	var drift []peopletest.Drift
	upstream, proxy, front := proxied(t, peopletest.OnProxyDrift(func(d peopletest.Drift) {
		mu.Lock()
		defer mu.Unlock()
		drift = append(drift, d)
	}))
	id := upstream.People()[0].ID
	get := front + "/v1_1/" + upstream.CloudName + "/people/" + id

	upstream.InjectFault(1, peopletest.Fault{Body: `{"person":{"name":5}}`})
	resp := send(t, http.MethodGet, get, "")
	assert.Contains(t, resp.Header.Get(peopletest.ViolationHeader), "response")

	upstream.InjectFault(1, peopletest.Fault{Body: `{"person":{"id":"` + id + `","status":"archived","face_count":3}}`})
	resp = send(t, http.MethodGet, get, "")
	assert.Empty(t, resp.Header.Values(peopletest.ViolationHeader), "drift is no violation")
	mu.Lock()
	defer mu.Unlock()
	assert.ElementsMatch(t, []peopletest.Drift{
		{Operation: "getPerson", Status: 200, Where: "/person/face_count", Kind: peopletest.DriftProperty, Value: "3"},
		{Operation: "getPerson", Status: 200, Where: "/person/status", Kind: peopletest.DriftEnum, Value: `"archived"`},
	}, drift)
	assert.Len(t, proxy.Drift(), 2)
}
