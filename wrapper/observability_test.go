package wrapper_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/davecgh/go-spew/spew"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestDebugLogsEachAttemptWithoutSecrets(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithCredentials("cloud", testKey, testSecret), peopletest.WithOAuthToken(testToken))
	var logs testkit.SyncBuffer
	logger := debugLogger(&logs)
	id := s.People()[0].ID

	basic := s.Client(wrapper.WithLogger(logger))
	bearer := s.Client(wrapper.WithLogger(logger), wrapper.WithOAuthToken(testToken))
	s.FailNext(1, 503)
	_, err := basic.GetPerson(ctx, id)
	require.NoError(t, err)
	_, err = bearer.ListPeople(ctx, wrapper.ListOptions{NamePrefix: "A"})
	require.NoError(t, err)
	out := logs.String()
	for _, want := range []string{"method=GET", "path=/v1_1/cloud/people/" + id, "status=503", "status=200", "attempt=1", "attempt=2", "duration="} {
		assert.Contains(t, out, want)
	}
	assertNoSecrets(t, "log", out)
}

func TestNoSecretInAnyErrorOrLog(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithCredentials("cloud", testKey, testSecret), peopletest.WithOAuthToken(testToken))
	var logs testkit.SyncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	id := s.People()[0].ID
	for _, auth := range []wrapper.Option{wrapper.WithAPISecret(testSecret), wrapper.WithOAuthToken(testToken)} {
		c := s.Client(wrapper.WithLogger(logger), auth, wrapper.WithMaxRetries(1))
		var errs []error
		for _, status := range []int{400, 401, 403, 404, 420, 429, 500, 502, 503, 504} {
			s.FailNext(2, status)
			_, err := c.GetPerson(ctx, id)
			errs = append(errs, err)
		}
		s.InjectFault(2, peopletest.Fault{DropConnection: true})
		_, err := c.ListPeople(ctx, wrapper.ListOptions{})
		errs = append(errs, err)
		s.InjectFault(2, peopletest.Fault{CutBody: true})
		_, err = c.ListPeople(ctx, wrapper.ListOptions{})
		errs = append(errs, err)
		_, err = c.UpdatePerson(ctx, "..", wrapper.PersonUpdate{Name: "x"})
		errs = append(errs, err)
		_, err = c.GetPerson(ctx, "missing")
		errs = append(errs, err)
		for _, err := range errs {
			require.Error(t, err, "a failing call returned no error")
			assertNoSecrets(t, "error", err.Error())
			assertNoSecrets(t, "error (%+v)", fmt.Sprintf("%+v", err))
			var apiErr *wrapper.APIError
			if errors.As(err, &apiErr) {
				assertNoSecrets(t, "APIError body", string(apiErr.Body))
			}
		}
	}
	assertNoSecrets(t, "log", logs.String())
	assert.Contains(t, logs.String(), `"status":401`, "the logger saw no calls; the test proves nothing")
}

func debugLogger(w *testkit.SyncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func assertNoSecrets(t *testing.T, where, s string) {
	t.Helper()
	basic := base64.StdEncoding.EncodeToString([]byte(testKey + ":" + testSecret))
	for _, secret := range []string{testSecret, testToken, basic, "Authorization", "Basic "} {
		assert.NotContains(t, s, secret, where)
	}
}

func TestConcurrentCallsOnOneClient(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(300))
	c := s.Client()
	ids := s.People()
	const workers = 32
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				id := ids[(w*10+i)%len(ids)].ID
				var err error
				switch i % 4 {
				case 0:
					_, err = c.GetPerson(ctx, id)
				case 1:
					_, err = c.ListPeople(ctx, wrapper.ListOptions{MaxResults: 20, SortBy: wrapper.SortByUpdatedAt})
				case 2:
					_, err = c.UpdatePerson(ctx, id, wrapper.PersonUpdate{Name: fmt.Sprintf("worker %d", w)})
				case 3:
					_, err = c.InspectPeoplePermissions(ctx, []string{id}, "read")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, workers*10, s.RequestCount())
}

func TestWithHTTPClientKeepsTheCallersTransport(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	s := peopletest.NewServer(t)
	var seen int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen++
		return http.DefaultTransport.RoundTrip(r)
	})}
	_, err := s.Client(wrapper.WithHTTPClient(hc)).ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, seen, "requests through the caller's transport")
	assert.Nil(t, hc.CheckRedirect, "New changed the caller's http.Client")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// recordingT is a testify TestingT that keeps what a failed assertion said.
type recordingT struct{ out strings.Builder }

func (r *recordingT) Errorf(format string, args ...any) { fmt.Fprintf(&r.out, format, args...) }

func TestCredentialsAreNotReachableByReflectingPrinters(t *testing.T) {
	t.Parallel()
	basicValue := base64.StdEncoding.EncodeToString([]byte(testKey + ":" + testSecret))
	secrets := []string{testSecret, testToken, basicValue}
	mk := func(auth wrapper.Option) *wrapper.Client {
		c, err := wrapper.New(wrapper.WithCloudName(testCloud), wrapper.WithAPIKey(testKey), auth, wrapper.WithBaseURL("https://api.cloudinary.com"))
		require.NoError(t, err)
		return c
	}
	basic, bearer := mk(wrapper.WithAPISecret(testSecret)), mk(wrapper.WithOAuthToken(testToken))
	spewer := spew.ConfigState{DisableMethods: true, DisablePointerAddresses: true, Indent: " "}
	rec := &recordingT{}
	assert.Equal(rec, basic, bearer) // fails, and prints a diff of the two
	assert.Equal(rec, basic.Generated(), bearer.Generated())
	require.NotEmpty(t, rec.out.String(), "the clients differ, so testify must print a diff")

	printed := map[string]string{
		"%+v of Generated()":           fmt.Sprintf("%+v", *basic.Generated()) + fmt.Sprintf("%+v", *bearer.Generated()),
		"%#v of Generated()":           fmt.Sprintf("%#v", *basic.Generated()) + fmt.Sprintf("%#v", *bearer.Generated()),
		"go-spew, methods disabled":    spewer.Sdump(basic, bearer),
		"go-spew of Generated()":       spewer.Sdump(basic.Generated(), bearer.Generated()),
		"testify diff between clients": rec.out.String(),
	}
	for how, out := range printed {
		t.Run(how, func(t *testing.T) {
			for _, secret := range secrets {
				assert.NotContains(t, out, secret)
			}
		})
	}
}
