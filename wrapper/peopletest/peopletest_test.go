package peopletest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

var ctx = context.Background()

// recordingTB captures what the server reports, so tests can assert that a
// violation fails the test that caused it.
type recordingTB struct {
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recordingTB) Cleanup(f func())                  { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) close() {
	for _, f := range r.cleanups {
		f()
	}
}

func TestForbiddenRequestThroughValidatingTransportNamesTheRule(t *testing.T) {
	s := peopletest.NewServer(t)
	hc := &http.Client{Transport: peopletest.ValidatingTransport(nil)}
	c := s.Client(wrapper.WithHTTPClient(hc), wrapper.WithMaxRetries(0))
	raw := c.Generated()

	tooMany := 500
	_, err := raw.ListPeopleWithResponse(ctx, s.CloudName, &generated.ListPeopleParams{MaxResults: &tooMany})
	var cerr *peopletest.ContractError
	if !errors.As(err, &cerr) || !errors.Is(err, peopletest.ErrContractViolation) {
		t.Fatalf("err = %v, want a *ContractError", err)
	}
	if cerr.Phase != "request" || cerr.Operation != "listPeople" || !strings.Contains(cerr.Rule, "max_results") || !strings.Contains(cerr.Rule, "100") {
		t.Errorf("ContractError = %+v, want the max_results maximum named", cerr)
	}
	badStatus := generated.UpdatePersonRequest{Status: "archived"}
	_, err = raw.UpdatePersonWithResponse(ctx, s.CloudName, "p1", badStatus)
	if !errors.As(err, &cerr) || cerr.Operation != "updatePerson" || !strings.Contains(cerr.Rule, "/status") {
		t.Errorf("update with an unknown status: err = %v", err)
	}
	if n := s.RequestCount(); n != 0 {
		t.Errorf("%d invalid requests were sent; the transport must stop them", n)
	}

	// Valid traffic passes untouched.
	if _, err := c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 100}); err != nil {
		t.Errorf("valid call: %v", err)
	}
}

func TestValidatingTransportRejectsResponsesThatBreakTheSpec(t *testing.T) {
	cases := map[string]struct {
		status int
		body   string
		rule   string
	}{
		"missing required id":   {200, `{"person":{"name":"A","status":"active"}}`, "id"},
		"three-number box":      {200, `{"person":{"id":"p","name":null,"status":"active","thumbnail":{"bounding_box":[1,2,3]}}}`, "bounding_box"},
		"unknown status value":  {200, `{"person":{"id":"p","name":"A","status":"archived"}}`, "status"},
		"undocumented status":   {418, `{"error":{"message":"teapot"}}`, "418"},
		"error without message": {404, `{"error":{}}`, "message"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer api.Close()
			c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s"), wrapper.WithBaseURL(api.URL),
				wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)}), wrapper.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetPerson(ctx, "p")
			var cerr *peopletest.ContractError
			if !errors.As(err, &cerr) || cerr.Phase != "response" || cerr.Operation != "getPerson" || !strings.Contains(cerr.Rule+fmt.Sprint(cerr.Status), tc.rule) {
				t.Errorf("err = %v, want a response violation mentioning %q", err, tc.rule)
			}
		})
	}
}

func TestServerReportsViolationsToTheTest(t *testing.T) {
	tb := &recordingTB{}
	s := peopletest.NewServer(tb)
	defer tb.close()
	// Bypass the SDK's own checks to send what the spec forbids.
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/v1_1/"+s.CloudName+"/people?sort_by=age&max_results=0", nil)
	req.SetBasicAuth(s.APIKey, s.APISecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status = %d, want 400 like the API", resp.StatusCode)
	}
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "sort_by") || !strings.Contains(tb.errors[0], "max_results") {
		t.Errorf("reported %q, want one violation naming sort_by and max_results", tb.errors)
	}
	if v := s.Violations(); len(v) != 1 {
		t.Errorf("Violations() = %v", v)
	}

	// Requests without credentials break the spec's security rule.
	resp, err = http.Get(s.URL + "/v1_1/" + s.CloudName + "/people")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || len(tb.errors) != 2 || !strings.Contains(tb.errors[1], "security") {
		t.Errorf("no credentials: status %d, reported %q", resp.StatusCode, tb.errors)
	}
}

func TestFakeServerSemantics(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(57))
	c := s.Client()

	// Default page size is the API's 50.
	page, err := c.ListPeople(ctx, wrapper.ListOptions{})
	if err != nil || len(page.People) != 50 || page.NextCursor == "" {
		t.Fatalf("first page: %d people, cursor %q, %v", len(page.People), page.NextCursor, err)
	}
	rest, err := c.ListPeople(ctx, wrapper.ListOptions{NextCursor: page.NextCursor})
	if err != nil || len(rest.People) != 7 || rest.NextCursor != "" {
		t.Fatalf("last page: %d people, cursor %q, %v", len(rest.People), rest.NextCursor, err)
	}
	// Name order, unnamed last.
	all := append(page.People, rest.People...)
	for i := 1; i < len(all); i++ {
		a, b := all[i-1].Name, all[i].Name
		if a == "" && b != "" || a != "" && b != "" && strings.ToLower(a) > strings.ToLower(b) {
			t.Fatalf("not in name order at %d: %q then %q", i, a, b)
		}
	}
	if _, err := c.ListPeople(ctx, wrapper.ListOptions{NextCursor: "garbage!"}); !errors.Is(err, wrapper.ErrValidation) {
		t.Errorf("bad cursor: %v, want 400", err)
	}
	if _, err := c.GetPerson(ctx, "nobody"); !errors.Is(err, wrapper.ErrNotFound) || !strings.Contains(err.Error(), "Can't find Person with id nobody") {
		t.Errorf("unknown ID: %v", err)
	}
	if _, err := c.UpdatePerson(ctx, "nobody", wrapper.PersonUpdate{Name: "x"}); !errors.Is(err, wrapper.ErrNotFound) {
		t.Errorf("update unknown ID: %v", err)
	}
	id := all[0].ID
	if _, err := c.UpdatePerson(ctx, id, wrapper.PersonUpdate{ThumbnailAssetID: "not-an-asset"}); err == nil || !strings.Contains(err.Error(), "No faces detected") {
		t.Errorf("unknown asset: %v", err)
	}
	// A registered face can become the thumbnail.
	s2 := peopletest.NewServer(t, peopletest.WithPeople(wrapper.Person{ID: "p1", Name: "Ann"}), peopletest.WithFace("p1", "asset-77"))
	if _, err := s2.Client().UpdatePerson(ctx, "p1", wrapper.PersonUpdate{ThumbnailAssetID: "asset-77"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s2.Person("p1"); p.Thumbnail == nil || p.Thumbnail.AssetID != "asset-77" {
		t.Errorf("thumbnail after update = %+v", p.Thumbnail)
	}
	// Any other cloud name or key is refused.
	other, _ := wrapper.New(wrapper.WithCloudName("other"), wrapper.WithAPIKey(s.APIKey), wrapper.WithAPISecret(s.APISecret), wrapper.WithBaseURL(s.URL))
	if _, err := other.ListPeople(ctx, wrapper.ListOptions{}); !errors.Is(err, wrapper.ErrAuthentication) {
		t.Errorf("wrong cloud: %v", err)
	}
}

func TestCloudinaryURLConfiguresAClient(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithCredentials("my-cloud", "key", "p@ss/w:rd"))
	t.Setenv("CLOUDINARY_URL", s.CloudinaryURL())
	c, err := wrapper.New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPeople(ctx, wrapper.ListOptions{}); err != nil {
		t.Errorf("client from CloudinaryURL(): %v", err)
	}
}

func TestContractViolationsAreNotRetried(t *testing.T) {
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
	if !errors.Is(err, peopletest.ErrContractViolation) {
		t.Fatalf("err = %v", err)
	}
	if attempts != 1 {
		t.Errorf("%d attempts; a contract violation fails the same way every time", attempts)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
