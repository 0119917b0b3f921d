package peopletest_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// The same hooks on the three parts of the kit report alike: every
// violation, and each drift finding once however often it comes.
func TestOneHookConventionForServerTransportAndProxy(t *testing.T) {
	t.Parallel()
	type seen struct {
		mu         sync.Mutex
		violations int
		drift      []peopletest.Drift
	}
	hooks := func(s *seen) (peopletest.Hook, peopletest.Hook) {
		return peopletest.OnViolation(func(*peopletest.ContractError) { s.mu.Lock(); s.violations++; s.mu.Unlock() }),
			peopletest.OnDrift(func(d peopletest.Drift) { s.mu.Lock(); s.drift = append(s.drift, d); s.mu.Unlock() })
	}
	// Two answers with the same new property, and one call that breaks
	// the contract.
	exercise := func(t *testing.T, c *wrapper.Client, raw string) {
		for range 2 {
			_, err := c.ListPeople(t.Context(), wrapper.ListOptions{})
			require.NoError(t, err)
		}
		request(t, http.MethodGet, raw+"/v1_1/"+peopletest.DefaultCloudName+"/people?max_results=500", "")
	}
	moved := func(fake *peopletest.Server) string {
		return testkit.Rewriting(t, fake.URL, func(_ *http.Request, status int, body []byte) (int, []byte) {
			if status != http.StatusOK {
				return status, body
			}
			return status, []byte(`{"people":[],"zz_undeclared_probe":1}`)
		})
	}

	t.Run("server", func(t *testing.T) {
		var s seen
		v, d := hooks(&s)
		fake := peopletest.NewServer(nil, v, d)
		t.Cleanup(fake.Close)
		fake.InjectFault(2, peopletest.Fault{Body: `{"people":[],"zz_undeclared_probe":1}`})
		exercise(t, fake.Client(), fake.URL)
		assert.Equal(t, 1, s.violations)
		assert.Len(t, s.drift, 1)
	})
	t.Run("proxy", func(t *testing.T) {
		var s seen
		v, d := hooks(&s)
		p, err := peopletest.NewProxy(moved(quietServer(t)), v, d)
		require.NoError(t, err)
		front := httptest.NewServer(p)
		t.Cleanup(front.Close)
		c, err := wrapper.New(wrapper.WithCloudName(peopletest.DefaultCloudName), wrapper.WithAPIKey(peopletest.DefaultAPIKey),
			wrapper.WithAPISecret(peopletest.DefaultAPISecret), wrapper.WithBaseURL(front.URL))
		require.NoError(t, err)
		exercise(t, c, front.URL)
		assert.Equal(t, 1, s.violations)
		assert.Len(t, s.drift, 1)
	})
	t.Run("transport", func(t *testing.T) {
		var s seen
		v, d := hooks(&s)
		upstream := moved(quietServer(t))
		hc := &http.Client{Transport: peopletest.ValidatingTransport(nil, v, d)}
		c, err := wrapper.New(wrapper.WithCloudName(peopletest.DefaultCloudName), wrapper.WithAPIKey(peopletest.DefaultAPIKey),
			wrapper.WithAPISecret(peopletest.DefaultAPISecret), wrapper.WithBaseURL(upstream), wrapper.WithHTTPClient(hc))
		require.NoError(t, err)
		for range 2 {
			_, err := c.ListPeople(t.Context(), wrapper.ListOptions{})
			require.NoError(t, err)
		}
		_, err = c.ListPeople(t.Context(), wrapper.ListOptions{Direction: "sideways"})
		require.ErrorIs(t, err, wrapper.ErrInvalidInput, "the client refuses it before the transport sees it")
		req, _ := http.NewRequest(http.MethodGet, upstream+"/v1_1/c/people?max_results=500", nil)
		_, err = hc.Do(req)
		require.Error(t, err)
		assert.Equal(t, 1, s.violations)
		assert.Len(t, s.drift, 1, "each finding once, as the fake and the proxy report it")
	})
}
