package wrapper_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestWithCallTimeoutBoundsTheWholeCall(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	id := s.People()[0].ID
	s.InjectFault(1, peopletest.Fault{Delay: 5 * time.Second})
	start := time.Now()
	_, err := c.With(wrapper.WithCallTimeout(100*time.Millisecond)).GetPerson(t.Context(), id)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 4*time.Second)
	t.Run("the Client itself keeps no deadline", func(t *testing.T) {
		_, err := c.GetPerson(t.Context(), id)
		assert.NoError(t, err)
	})
}

func TestWithCallRetriesSetsTheRetriesOfTheViewOnly(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client(wrapper.WithMaxRetries(2))
	id := s.People()[0].ID
	s.FailNext(1, 503)
	_, err := c.With(wrapper.WithCallRetries(0)).GetPerson(t.Context(), id)
	require.ErrorIs(t, err, wrapper.ErrServer)
	assert.Equal(t, 1, s.RequestCount(), "sent once")

	s.FailNext(1, 503)
	_, err = c.GetPerson(t.Context(), id)
	assert.NoError(t, err, "the Client still retries")
}

func TestWithHeaderIsSentOnEveryAttemptAndPage(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(25))
	view := s.Client().With(wrapper.WithHeader("X-Request-Tag", "job-7"))
	s.FailNext(1, 503)
	n := 0
	for _, err := range view.AllPeople(t.Context(), wrapper.ListOptions{MaxResults: 10}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 25, n)
	require.Equal(t, 4, s.RequestCount(), "a retry and three pages")
	for _, r := range s.Requests() {
		assert.Equal(t, "job-7", r.Header.Get("X-Request-Tag"))
	}
}

func TestWithHeaderCannotReplaceTheSDKsHeaders(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	for _, key := range []string{"Authorization", "authorization", "Host", "Content-Type", "Content-Length", "User-Agent"} {
		t.Run(key, func(t *testing.T) {
			_, err := s.Client().With(wrapper.WithHeader(key, "x")).ListPeople(t.Context(), wrapper.ListOptions{})
			require.ErrorIs(t, err, wrapper.ErrInvalidInput)
			assert.Contains(t, err.Error(), http.CanonicalHeaderKey(key))
		})
	}
	assert.Zero(t, s.RequestCount(), "nothing sent")
}

func TestWithResponseIntoGivesTheFinalAnswer(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	c := s.Client()
	var resp *http.Response
	view := c.With(wrapper.WithResponseInto(&resp))
	_, err := view.ListPeople(t.Context(), wrapper.ListOptions{})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("X-FeatureRateLimit-Remaining"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), `"people"`)

	t.Run("an answer that is an error too", func(t *testing.T) {
		_, err := view.GetPerson(t.Context(), "nobody")
		require.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
	t.Run("the view updates the Client's rate limit", func(t *testing.T) {
		assert.True(t, c.RateLimit().Known())
	})
}

func TestCallOptionsRefuseWhatNoCallCanHonour(t *testing.T) {
	t.Parallel()
	s := peopletest.NewServer(t)
	for name, opt := range map[string]wrapper.CallOption{
		"a negative timeout": wrapper.WithCallTimeout(-time.Second),
		"negative retries":   wrapper.WithCallRetries(-1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Client().With(opt).ListPeople(t.Context(), wrapper.ListOptions{})
			assert.ErrorIs(t, err, wrapper.ErrInvalidInput)
		})
	}
	assert.Zero(t, s.RequestCount())
}
