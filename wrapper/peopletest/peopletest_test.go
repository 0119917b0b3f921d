package peopletest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestForbiddenRequestThroughValidatingTransportNamesTheRule(t *testing.T) {
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
		assert.Equal(t, "request", cerr.Phase)
		assert.Equal(t, "listPeople", cerr.Operation)
		assert.Contains(t, cerr.Rule, "max_results")
		assert.Contains(t, cerr.Rule, "100")
	})
	t.Run("an unknown status in an update", func(t *testing.T) {
		_, err := raw.UpdatePersonWithResponse(ctx, s.CloudName, "p1", generated.UpdatePersonRequest{Status: "archived"})
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
			assert.Equal(t, "response", cerr.Phase)
			assert.Equal(t, "getPerson", cerr.Operation)
			assert.Contains(t, cerr.Rule+fmt.Sprint(cerr.Status), tc.rule)
		})
	}
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

func TestFakeServerSemantics(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(57))
	c := s.Client()

	page, err := c.ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err)
	require.Len(t, page.People, 50, "the API's default page size")
	require.NotEmpty(t, page.NextCursor)
	rest, err := c.ListPeople(ctx, wrapper.ListOptions{NextCursor: page.NextCursor})
	require.NoError(t, err)
	require.Len(t, rest.People, 7)
	assert.Empty(t, rest.NextCursor, "the last page")

	t.Run("name order, unnamed last", func(t *testing.T) {
		all := append(page.People, rest.People...)
		for i := 1; i < len(all); i++ {
			a, b := all[i-1].Name, all[i].Name
			assert.False(t, a == "" && b != "" || a != "" && b != "" && strings.ToLower(a) > strings.ToLower(b), "at %d: %q then %q", i, a, b)
		}
	})
	t.Run("errors as the API answers them", func(t *testing.T) {
		_, err := c.ListPeople(ctx, wrapper.ListOptions{NextCursor: "garbage!"})
		assert.ErrorIs(t, err, wrapper.ErrValidation, "bad cursor")
		_, err = c.GetPerson(ctx, "nobody")
		assert.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.ErrorContains(t, err, "Can't find Person with id nobody")
		_, err = c.UpdatePerson(ctx, "nobody", wrapper.PersonUpdate{Name: "x"})
		assert.ErrorIs(t, err, wrapper.ErrNotFound)
		_, err = c.UpdatePerson(ctx, page.People[0].ID, wrapper.PersonUpdate{ThumbnailAssetID: "not-an-asset"})
		assert.ErrorContains(t, err, "No faces detected")
	})
	t.Run("a registered face can become the thumbnail", func(t *testing.T) {
		s2 := peopletest.NewServer(t, peopletest.WithPeople(wrapper.Person{ID: "p1", Name: "Ann"}), peopletest.WithFace("p1", "asset-77"))
		_, err := s2.Client().UpdatePerson(ctx, "p1", wrapper.PersonUpdate{ThumbnailAssetID: "asset-77"})
		require.NoError(t, err)
		p, _ := s2.Person("p1")
		require.NotNil(t, p.Thumbnail)
		assert.Equal(t, "asset-77", p.Thumbnail.AssetID)
	})
	t.Run("any other cloud name is refused", func(t *testing.T) {
		other, err := wrapper.New(wrapper.WithCloudName("other"), wrapper.WithAPIKey(s.APIKey), wrapper.WithAPISecret(s.APISecret), wrapper.WithBaseURL(s.URL))
		require.NoError(t, err)
		_, err = other.ListPeople(ctx, wrapper.ListOptions{})
		assert.ErrorIs(t, err, wrapper.ErrAuthentication)
	})
}

func TestCloudinaryURLConfiguresAClient(t *testing.T) {
	s := peopletest.NewServer(t, peopletest.WithCredentials("my-cloud", "key", "p@ss/w:rd"))
	t.Setenv("CLOUDINARY_URL", s.CloudinaryURL())
	c, err := wrapper.New()
	require.NoError(t, err)
	_, err = c.ListPeople(ctx, wrapper.ListOptions{})
	assert.NoError(t, err)
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
	require.ErrorIs(t, err, peopletest.ErrContractViolation)
	assert.Equal(t, 1, attempts, "a contract violation fails the same way every time")
}
