package wrapper_test

// Regression tests for what hostile use broke (issue 8): each fails on the
// code before its fix.

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/davecgh/go-spew/spew"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func collectIDs(t *testing.T, seq func(func(wrapper.Person, error) bool)) []string {
	t.Helper()
	var ids []string
	for p, err := range seq {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	return ids
}

func TestAllPeopleSequenceIsReusableAndShareable(t *testing.T) {
	noLeaks(t)
	s := peopletest.NewServer(t)
	seq := s.Client().AllPeople(ctx, wrapper.ListOptions{MaxResults: 5})
	want := make([]string, 0, len(s.People()))
	for _, p := range s.People() {
		want = append(want, p.ID)
	}

	t.Run("ranged twice", func(t *testing.T) {
		assert.Equal(t, want, collectIDs(t, seq))
		assert.Equal(t, want, collectIDs(t, seq))
	})
	t.Run("broken off then ranged again", func(t *testing.T) {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			if n++; n == 7 {
				break
			}
		}
		assert.Equal(t, want, collectIDs(t, seq), "the second range must start from the options given")
	})
	t.Run("ranged from several goroutines", func(t *testing.T) {
		var wg sync.WaitGroup
		got := make([][]string, 4)
		for i := range got {
			wg.Go(func() {
				for p, err := range seq {
					if err != nil {
						return
					}
					got[i] = append(got[i], p.ID)
				}
			})
		}
		wg.Wait()
		for i := range got {
			assert.Equal(t, want, got[i], "goroutine %d", i)
		}
	})
}

func TestTwoXXBodyWithoutWhatTheOperationNeedsIsMalformed(t *testing.T) {
	noLeaks(t)
	type call func(c *wrapper.Client) error
	list := func(c *wrapper.Client) error { _, err := c.ListPeople(ctx, wrapper.ListOptions{}); return err }
	get := func(c *wrapper.Client) error { _, err := c.GetPerson(ctx, "p1"); return err }
	update := func(c *wrapper.Client) error {
		_, err := c.UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Name: "Ann"})
		return err
	}
	inspect := func(c *wrapper.Client) error {
		_, err := c.InspectPeoplePermissions(ctx, []string{"p1"}, "read")
		return err
	}
	walk := func(c *wrapper.Client) error {
		for _, err := range c.AllPeople(ctx, wrapper.ListOptions{}) {
			if err != nil {
				return err
			}
		}
		return nil
	}
	cases := []struct {
		name string
		body string
		call call
	}{
		{"list null", `null`, list},
		{"list empty object", `{}`, list},
		{"list people null", `{"people":null}`, list},
		{"walk empty object", `{}`, walk},
		{"get empty object", `{}`, get},
		{"get person null", `{"person":null}`, get},
		{"get person without id", `{"person":{"name":"Ann","status":"active"}}`, get},
		{"update without person_id", `{"name":"Ann","status":"active"}`, update},
		{"inspect without inspections", `{"message":"ok"}`, inspect},
		{"inspect inspections null", `{"message":"ok","inspections":null}`, inspect},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jsonBody(200, tc.body))
			err := tc.call(srv.client(t))
			assert.ErrorIs(t, err, wrapper.ErrMalformedResponse)
		})
	}
	t.Run("what is there is enough", func(t *testing.T) {
		for body, c := range map[string]call{
			`{"people":[]}`:                    list,
			`{"person":{"id":"p1"}}`:           get,
			`{"person_id":"p1"}`:               update,
			`{"inspections":{}}`:               inspect,
			`{"people":[],"next_cursor":null}`: list,
		} {
			srv := newServer(t, jsonBody(200, body))
			assert.NoError(t, c(srv.client(t)), body)
		}
	})
}

// recordingT is a testify TestingT that keeps what a failed assertion said.
type recordingT struct{ out strings.Builder }

func (r *recordingT) Errorf(format string, args ...any) { fmt.Fprintf(&r.out, format, args...) }

func TestCredentialsAreNotReachableByReflectingPrinters(t *testing.T) {
	noLeaks(t)
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

func TestAllPeopleStopsAfterTooManyEmptyPages(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		jsonBody(200, fmt.Sprintf(`{"people":[],"next_cursor":"fresh-%d"}`, n))(w, r)
	})
	var errs []error
	for p, err := range srv.client(t).AllPeople(ctx, wrapper.ListOptions{}) {
		require.Less(t, len(errs), 2, "the iterator keeps going after its error")
		assert.Zero(t, p)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], wrapper.ErrEmptyPages)
	assert.ErrorContains(t, errs[0], "empty pages")
	assert.EqualValues(t, wrapper.MaxEmptyPages, calls.Load())

	t.Run("a person resets the count", func(t *testing.T) {
		var n atomic.Int64
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			i := n.Add(1)
			switch {
			case i >= 3*wrapper.MaxEmptyPages:
				jsonBody(200, `{"people":[{"id":"last"}]}`)(w, r)
			case i%(wrapper.MaxEmptyPages-1) == 0:
				jsonBody(200, fmt.Sprintf(`{"people":[{"id":"p%d"}],"next_cursor":"c%d"}`, i, i))(w, r)
			default:
				jsonBody(200, fmt.Sprintf(`{"people":[],"next_cursor":"c%d"}`, i))(w, r)
			}
		})
		ids := collectIDs(t, srv.client(t).AllPeople(ctx, wrapper.ListOptions{}))
		assert.Equal(t, "last", ids[len(ids)-1])
	})
}

func TestRetryAfterTooLargeForADurationIsClampedNotIgnored(t *testing.T) {
	noLeaks(t)
	for _, status := range []int{429, 420, 503} {
		for _, value := range []string{"9223372037", "9223372036854775807", "99999999999999999999999"} {
			t.Run(fmt.Sprintf("%d Retry-After %s", status, value), func(t *testing.T) {
				srv := newServer(t, jsonBody(status, `{"error":{"message":"slow down"}}`, "Retry-After", value))
				cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
				defer cancel()
				start := time.Now()
				_, err := srv.client(t, wrapper.WithMaxRetries(3)).GetPerson(cctx, "p1")
				var apiErr *wrapper.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Less(t, time.Since(start), time.Second, "a wait past the deadline must give the answer back at once")
				assert.Len(t, srv.Calls(), 1, "an overflowed Retry-After was read as a short wait")
			})
		}
	}
}

func TestCloudinaryURLWithAtSignInTheQuery(t *testing.T) {
	noLeaks(t)
	srv := newServer(t, jsonBody(200, `{"person":{"id":"p1"}}`))
	cases := []struct {
		name, url          string
		cloud, key, secret string
		bearer             string
	}{
		{"oauth token with @", "cloudinary://key:sec@cloud?oauth_token=a@b&upload_prefix=" + srv.URL, "cloud", "", "", "a@b"},
		{"secret with @ and token with @", "cloudinary://key:s@c@cloud?upload_prefix=" + srv.URL + "&oauth_token=x@y", "cloud", "", "", "x@y"},
		{"secret with @, no query @", "cloudinary://key:s@c@cloud?upload_prefix=" + srv.URL, "cloud", "key", "s@c", ""},
		{"@ after a slash in the query", "cloudinary://key:sec@cloud?upload_prefix=" + srv.URL + "&note=/a@b", "cloud", "key", "sec", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := wrapper.New(wrapper.WithCloudinaryURL(tc.url))
			require.NoError(t, err)
			assert.Equal(t, tc.cloud, c.CloudName())
			_, err = c.GetPerson(ctx, "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			last := calls[len(calls)-1]
			assert.Equal(t, "/v1_1/"+tc.cloud+"/people/p1", last.Path)
			if tc.bearer != "" {
				assert.Equal(t, "Bearer "+tc.bearer, last.Header.Get("Authorization"))
				return
			}
			_, key, secret := authOf(t, last)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.secret, secret)
		})
	}
}

func TestCloudinaryURLSecretWithAtAndQuestionMark(t *testing.T) {
	srv := newServer(t, jsonBody(200, `{"person":{"id":"p1"}}`))
	for _, tc := range []struct{ url, cloud, key, secret string }{
		{"cloudinary://123456789012345:Zx8@q9Lm3TpWq?7Rk@demo-cloud", "demo-cloud", "123456789012345", "Zx8@q9Lm3TpWq?7Rk"},
		{"cloudinary://0:0@0?@0", "0", "0", "0@0?"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := wrapper.New(wrapper.WithCloudinaryURL(tc.url), wrapper.WithBaseURL(srv.URL))
			require.NoError(t, err)
			assert.Equal(t, tc.cloud, c.CloudName())
			assert.NotContains(t, c.String(), "q9Lm3TpWq")
			_, err = c.GetPerson(ctx, "p1")
			require.NoError(t, err)
			calls := srv.Calls()
			last := calls[len(calls)-1]
			assert.Equal(t, "/v1_1/"+tc.cloud+"/people/p1", last.Path)
			_, key, secret := authOf(t, last)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.secret, secret)
		})
	}
}

func TestValuesThatCanNeverWorkFailEarly(t *testing.T) {
	noLeaks(t)
	t.Setenv("CLOUDINARY_URL", "")
	base := []wrapper.Option{wrapper.WithBaseURL("https://api.cloudinary.com")}
	for name, opts := range map[string][]wrapper.Option{
		"token with LF":       {wrapper.WithCloudName("c"), wrapper.WithOAuthToken("tok\n")},
		"token with CR":       {wrapper.WithCloudName("c"), wrapper.WithOAuthToken("tok\rX-Evil: 1")},
		"key with NUL":        {wrapper.WithCloudName("c"), wrapper.WithAPIKey("12\x003"), wrapper.WithAPISecret("s")},
		"secret with LF":      {wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s\n")},
		"secret with DEL":     {wrapper.WithCloudName("c"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s\x7f")},
		"cloud with tab":      {wrapper.WithCloudName("c\t"), wrapper.WithAPIKey("k"), wrapper.WithAPISecret("s")},
		"URL secret with %0A": {wrapper.WithCloudinaryURL("cloudinary://k:s%0A@c")},
		"URL token with ESC":  {wrapper.WithCloudinaryURL("cloudinary://k:s@c?oauth_token=a%1Bb")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := wrapper.New(append(base, opts...)...)
			assert.ErrorIs(t, err, wrapper.ErrConfig)
			assert.ErrorContains(t, err, "control character")
		})
	}
	t.Run("update name that is not UTF-8", func(t *testing.T) {
		srv := newServer(t, jsonBody(200, `{"person_id":"p1"}`))
		_, err := srv.client(t).UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Name: "Ann\xff\xfe"})
		assert.ErrorIs(t, err, wrapper.ErrInvalidInput)
		assert.Empty(t, srv.Calls(), "nothing may be sent")
	})
}

func TestErrorsSayWhatHappened(t *testing.T) {
	noLeaks(t)
	t.Run("a cut-off 404 is still a 404", func(t *testing.T) {
		s := peopletest.NewServer(t)
		s.InjectFault(5, peopletest.Fault{CutBody: true})
		_, err := s.Client(wrapper.WithMaxRetries(3)).GetPerson(ctx, "no-such-person")
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.NotErrorIs(t, err, wrapper.ErrNetwork)
		assert.NotEmpty(t, apiErr.Body, "the part of the body that arrived")
		assert.True(t, strings.HasPrefix(`{"error":{"message":"Can't find Person with id no-such-person"}}`, string(apiErr.Body)), "body %q", apiErr.Body)
		assert.Equal(t, 1, s.RequestCount(), "a 404 is not retried")
	})
	t.Run("a same-host redirect loop", func(t *testing.T) {
		for name, target := range map[string]func(r *http.Request) string{
			"to itself": func(r *http.Request) string { return r.URL.Path },
			"back and forth": func(r *http.Request) string {
				if strings.HasSuffix(r.URL.Path, "/b") {
					return strings.TrimSuffix(r.URL.Path, "/b")
				}
				return r.URL.Path + "/b"
			},
		} {
			t.Run(name, func(t *testing.T) {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, target(r), http.StatusFound)
				})
				_, err := srv.client(t).GetPerson(ctx, "p1")
				assert.ErrorIs(t, err, wrapper.ErrRedirectLoop)
				assert.ErrorContains(t, err, "redirect loop")
				assert.NotErrorIs(t, err, wrapper.ErrNetwork)
				assert.LessOrEqual(t, len(srv.Calls()), 11)
			})
		}
	})
	t.Run("control characters in a server message are escaped", func(t *testing.T) {
		var logs testkit.SyncBuffer
		srv := newServer(t, jsonBody(400, `{"error":{"message":"bad\nFAKE LOG LINE level=ERROR\u001b[31m red\u0000"}}`))
		_, err := srv.client(t, wrapper.WithLogger(debugLogger(&logs))).GetPerson(ctx, "p1")
		require.Error(t, err)
		for _, out := range []string{err.Error(), logs.String()} {
			assert.NotContains(t, out, "\x1b")
			assert.NotContains(t, out, "\x00")
		}
		assert.NotContains(t, err.Error(), "\n")
		assert.Contains(t, err.Error(), `bad\nFAKE LOG LINE`)
		assert.Contains(t, err.Error(), `\x1b[31m`)
	})
	t.Run("the people: prefix appears once", func(t *testing.T) {
		closed := newServer(t, jsonBody(200, `{}`))
		closedClient := closed.client(t, wrapper.WithMaxRetries(0))
		closed.Close()
		malformed := newServer(t, jsonBody(200, `{}`))
		notFound := newServer(t, jsonBody(404, `{"error":{"message":"Can't find Person with id p1"}}`))
		errs := map[string]error{}
		_, errs["network"] = closedClient.GetPerson(ctx, "p1")
		_, errs["malformed"] = malformed.client(t).GetPerson(ctx, "p1")
		_, errs["not found"] = notFound.client(t).GetPerson(ctx, "p1")
		_, errs["invalid input"] = notFound.client(t).GetPerson(ctx, "")
		_, errs["list invalid"] = notFound.client(t).ListPeople(ctx, wrapper.ListOptions{MaxResults: 101})
		_, errs["inspect invalid"] = notFound.client(t).InspectPeoplePermissions(ctx, nil, "read")
		for name, err := range errs {
			require.Error(t, err, name)
			assert.Equal(t, 1, strings.Count(err.Error(), "people:"), "%s: %q", name, err)
		}
		assert.ErrorIs(t, errs["network"], wrapper.ErrNetwork)
		assert.Contains(t, errs["network"].Error(), "people: GetPerson: network error")
	})
}

func TestCloseReleasesConnections(t *testing.T) {
	s := peopletest.NewServer(t)
	id := s.People()[0].ID
	t.Run("50 clients used once and closed leave no goroutines", func(t *testing.T) {
		noLeaks(t) // waits at most 5 s; the idle timeout is 90 s
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
	noLeaks(t)
	srv := newServer(t, jsonBody(200, `{"people":"not a list"}`))
	c := srv.client(t, wrapper.WithMaxRetries(3), wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)}))
	_, err := c.ListPeople(ctx, wrapper.ListOptions{})
	assert.ErrorIs(t, err, peopletest.ErrContractViolation)
	assert.NotErrorIs(t, err, wrapper.ErrNetwork)
	assert.Len(t, srv.Calls(), 1, "a contract violation is not retried")
	var cerr *peopletest.ContractError
	require.ErrorAs(t, err, &cerr)
	assert.Equal(t, "response", cerr.Phase)
}

func TestNullNextCursorEndsTheWalk(t *testing.T) {
	noLeaks(t)
	srv := newServer(t, jsonBody(200, `{"people":[{"id":"p1","name":null}],"next_cursor":null}`))
	c := srv.client(t, wrapper.WithHTTPClient(&http.Client{Transport: peopletest.ValidatingTransport(nil)}))
	page, err := c.ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err, "null is a valid last-page cursor")
	assert.Equal(t, "", page.NextCursor)
	assert.Equal(t, []string{"p1"}, collectIDs(t, c.AllPeople(ctx, wrapper.ListOptions{})))
}

// errors.Is must see the caller's own deadline through every layer, while
// the SDK's per-attempt timeout must not pass for it (see
// TestTimeoutFromCloudinaryURL).
func TestCallerDeadlineStaysVisible(t *testing.T) {
	noLeaks(t)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := srv.client(t).GetPerson(cctx, "p1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, strings.Count(err.Error(), "people:"), err.Error())
}
