package peopletest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	yaml "github.com/oasdiff/yaml3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// canned answers every call with status and body.
func canned(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestValidatingTransportReportsDrift(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   []peopletest.Drift
	}{
		{"a new property, deep", 200, `{"people":[{"id":"a"},{"id":"b","thumbnail":{"face_score":0.9}}]}`,
			[]peopletest.Drift{{Operation: "listPeople", Status: 200, Where: "/people/1/thumbnail/face_score", Kind: "property", Value: "0.9", Schema: map[string]any{"type": "number"}}}},
		{"the same property on every person is one finding", 200, `{"people":[{"id":"a","x":1},{"id":"b","x":2}],"y":true}`,
			[]peopletest.Drift{
				{Operation: "listPeople", Status: 200, Where: "/people/0/x", Kind: "property", Value: "1", Schema: map[string]any{"type": "integer"}},
				{Operation: "listPeople", Status: 200, Where: "/y", Kind: "property", Value: "true", Schema: map[string]any{"type": "boolean"}},
			}},
		{"a new status value", 200, `{"people":[{"id":"a","status":"zz_unknown_status"}]}`,
			[]peopletest.Drift{{Operation: "listPeople", Status: 200, Where: "/people/0/status", Kind: "enum", Value: `"zz_unknown_status"`}}},
		{"an undocumented status", 409, `{"error":{"message":"Already exists"}}`,
			[]peopletest.Drift{{Operation: "listPeople", Status: 409, Where: "status", Kind: "status", Value: "409"}}},
		{"a redirect is an undocumented status too", 307, ``,
			[]peopletest.Drift{{Operation: "listPeople", Status: 307, Where: "status", Kind: "status", Value: "307"}}},
		{"an open map is no drift", 200, `{"people":[]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := canned(t, tc.status, tc.body)
			var got []peopletest.Drift
			hc := &http.Client{
				Transport:     peopletest.ValidatingTransport(nil, peopletest.OnDrift(func(d peopletest.Drift) { got = append(got, d) })),
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"),
				wrapper.WithBaseURL(api.URL), wrapper.WithHTTPClient(hc), wrapper.WithMaxRetries(0))
			require.NoError(t, err)
			_, err = c.ListPeople(ctx, wrapper.ListOptions{})
			var cerr *peopletest.ContractError
			assert.NotErrorAs(t, err, &cerr, "drift never fails a call")
			if tc.status == 200 {
				assert.NoError(t, err)
			}
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("an inspect answer's open maps are no drift", func(t *testing.T) {
		api := canned(t, 200, `{"message":"ok","inspections":{"Person":{"k":{"read":true,"fly":false}},"Asset":{}}}`)
		var got []peopletest.Drift
		hc := &http.Client{Transport: peopletest.ValidatingTransport(nil, peopletest.OnDrift(func(d peopletest.Drift) { got = append(got, d) }))}
		c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(api.URL), wrapper.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.InspectPeoplePermissions(ctx, []string{"k"}, "read")
		require.NoError(t, err)
		assert.Empty(t, got)
	})
}

func TestDriftString(t *testing.T) {
	t.Parallel()
	d := peopletest.Drift{Operation: "listPeople", Status: 200, Where: "/people/3/zz_undeclared_probe", Kind: "property", Value: "12"}
	assert.Equal(t, "drift: listPeople HTTP 200: a property openapi.yaml does not declare at /people/3/zz_undeclared_probe: 12", d.String())
	s := peopletest.Drift{Operation: "updatePerson", Status: 409, Where: "status", Kind: "status", Value: "409"}
	assert.Contains(t, s.String(), "updatePerson answered HTTP 409")
}

func TestTheFakeShowsNoDrift(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	var mu sync.Mutex
	var got []peopletest.Drift
	record := func(d peopletest.Drift) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
	}
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(300), peopletest.OnDrift(record))
	hc := &http.Client{Transport: peopletest.ValidatingTransport(nil, peopletest.OnDrift(record))}
	c := s.Client(wrapper.WithHTTPClient(hc))
	n := 0
	for p, err := range c.AllPeople(ctx, wrapper.ListOptions{}) {
		require.NoError(t, err)
		n++
		if n%50 == 0 {
			_, err := c.UpdatePerson(ctx, p.ID, wrapper.PersonUpdate{Name: "Renamed", Status: wrapper.StatusHidden})
			require.NoError(t, err)
			_, err = c.InspectPeoplePermissions(ctx, []string{p.ID}, "read")
			require.NoError(t, err)
		}
	}
	report, err := peopletest.Conformance(ctx, target(quietServer(t), true))
	require.NoError(t, err)
	assert.Empty(t, report.Drift)
	assert.Empty(t, got)
	assert.Empty(t, s.Drift())
}

func TestConformanceReportsDriftOnce(t *testing.T) {
	t.Parallel()
	fake := quietServer(t)
	// In front of the fake, an API that has moved on: every person gains
	// a property and the status enum a value.
	moved := testkit.Rewriting(t, fake.URL, func(_ *http.Request, status int, body []byte) (int, []byte) {
		return status, bytes.ReplaceAll(body, []byte(`"status":"hidden"`), []byte(`"status":"zz_unknown_status","zz_undeclared_probe":2`))
	})
	report, err := peopletest.Conformance(context.Background(), peopletest.ConformanceTarget{
		BaseURL: moved, CloudName: fake.CloudName, APIKey: fake.APIKey, APISecret: fake.APISecret})
	require.NoError(t, err)
	assert.Empty(t, report.Failures(), "drift fails no case")
	kinds := map[string]int{}
	for _, d := range report.Drift {
		kinds[d.Operation+" "+string(d.Kind)]++
	}
	assert.Equal(t, 1, kinds["listPeople property"], "once per operation, location and kind: %v", report.Drift)
	assert.Equal(t, 1, kinds["listPeople enum"], "%v", report.Drift)
	var table bytes.Buffer
	require.NoError(t, report.WriteTable(&table))
	assert.Contains(t, table.String(), "Drift:")
	assert.Contains(t, table.String(), "zz_undeclared_probe")
	assert.Contains(t, table.String(), "make generate")
}

// movedUpstream is an API that has moved on from openapi.yaml: every
// person gains zz_undeclared_probe and a nested object, status gains "zz_unknown_status",
// and updatePerson may answer 409.
func movedUpstream(t *testing.T) string {
	fake := quietServer(t)
	return testkit.Rewriting(t, fake.URL, func(r *http.Request, status int, body []byte) (int, []byte) {
		if r.Method == http.MethodPut {
			return http.StatusConflict, []byte(`{"error":{"message":"Conflict"}}`)
		}
		return status, bytes.ReplaceAll(body, []byte(`"status":"hidden"`),
			[]byte(`"status":"zz_unknown_status","zz_undeclared_probe":2,"score":0.5,"tags":["a"],"extra":null,"origin":{"kind":"auto"}`))
	})
}

func TestDriftBecomesAnOverlayOfAdditions(t *testing.T) {
	t.Parallel()
	upstream := movedUpstream(t)
	p, err := peopletest.NewProxy(upstream, peopletest.AllowWrites(), peopletest.OnViolation(func(*peopletest.ContractError) {}))
	require.NoError(t, err)
	front := httptest.NewServer(p)
	t.Cleanup(front.Close)
	request(t, http.MethodGet, front.URL+"/v1_1/"+peopletest.DefaultCloudName+"/people?max_results=100", "")
	request(t, http.MethodPut, front.URL+"/v1_1/"+peopletest.DefaultCloudName+"/people/x", `{"name":"A"}`, "Content-Type", "application/json")
	require.NotEmpty(t, p.Drift())

	doc, err := peopletest.DriftOverlay(p.Drift())
	require.NoError(t, err)
	var o struct {
		Overlay string
		Actions []struct {
			Target string
			Update any
		}
	}
	require.NoError(t, yaml.Unmarshal(doc, &o), "%s", doc)
	assert.Equal(t, "1.0.0", o.Overlay)
	byTarget := map[string]string{}
	for _, a := range o.Actions {
		b, _ := json.Marshal(a.Update)
		byTarget[a.Target] += string(b)
	}
	t.Run("a property, with the type its value suggests, on the component", func(t *testing.T) {
		person := byTarget["$['components']['schemas']['PersonDetails']"]
		assert.Contains(t, person, `"zz_undeclared_probe":{"type":"integer"}`)
		assert.Contains(t, person, `"score":{"type":"number"}`)
		assert.Contains(t, person, `"tags":{"items":{"type":"string"},"type":"array"}`)
		assert.Contains(t, person, `"extra":{"nullable":true}`)
		assert.Contains(t, person, `"origin":{"properties":{"kind":{"type":"string"}},"type":"object"}`)
	})
	t.Run("an enum value, appended to the enum", func(t *testing.T) {
		assert.Equal(t, `["zz_unknown_status"]`, byTarget["$['components']['schemas']['PersonStatus'].enum"])
	})
	t.Run("a status, with the operation's error schema", func(t *testing.T) {
		put := byTarget["$.paths['/v1_1/{cloud_name}/people/{person_id}'].put.responses"]
		assert.Contains(t, put, `"409"`)
		assert.Contains(t, put, `"$ref"`)
	})
	t.Run("served by the control API", func(t *testing.T) {
		resp, body := request(t, http.MethodGet, front.URL+"/_peoplemock/drift/overlay", "")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, body, "overlay: 1.0.0")
		assert.Contains(t, body, "zz_undeclared_probe")
	})
}
