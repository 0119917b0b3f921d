package wrapper_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestCloseReleasesConnections(t *testing.T) {
	ctx := t.Context()
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	t.Run("50 clients used once and closed leave no goroutines", func(t *testing.T) {
		noNewGoroutines(t) // the idle timeout is 90 s: only Close ends them sooner
		for range 50 {
			c := s.Client()
			_, err := c.GetPerson(ctx, id)
			require.NoError(t, err)
			require.NoError(t, c.Close())
		}
	})
	t.Run("calls after Close still work", func(t *testing.T) {
		c := s.Client()
		require.NoError(t, c.Close())
		_, err := c.GetPerson(ctx, id)
		assert.NoError(t, err)
		require.NoError(t, c.Close())
	})
	t.Run("a caller's http.Client is left alone", func(t *testing.T) {
		tr := &closeCounter{RoundTripper: http.DefaultTransport}
		c := s.Client(wrapper.WithHTTPClient(&http.Client{Transport: tr}))
		_, err := c.GetPerson(ctx, id)
		require.NoError(t, err)
		require.NoError(t, c.Close())
		assert.Zero(t, tr.closed.Load())
	})
}

type closeCounter struct {
	http.RoundTripper
	closed atomic.Int64
}

func (c *closeCounter) CloseIdleConnections() { c.closed.Add(1) }

func TestContractViolationFromTheCallersTransport(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, jsonBody(200, `{"people":"not a list"}`))
	c := srv.client(t, wrapper.WithMaxRetries(3), wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)}))
	_, err := c.ListPeople(ctx, wrapper.ListOptions{})
	assert.ErrorIs(t, err, peopletest.ErrContractViolation)
	assert.NotErrorIs(t, err, wrapper.ErrNetwork)
	assert.Len(t, srv.Calls(), 1, "a contract violation is not retried")
	var cerr *peopletest.ContractError
	require.ErrorAs(t, err, &cerr)
	assert.Equal(t, peopletest.PhaseResponse, cerr.Phase)
}

// errors.Is must see the caller's own deadline through every layer, while
// the SDK's per-attempt timeout must not pass for it (see
// TestTimeoutFromCloudinaryURL).
func TestCallerDeadlineStaysVisible(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := srv.client(t).GetPerson(cctx, "p1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, strings.Count(err.Error(), "people:"), err.Error())
}
