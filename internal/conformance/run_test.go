package conformance_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// TestConformanceAgainstTheFake is what make test runs: every derived case
// must pass against the fake.
func TestConformanceAgainstTheFake(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	report, err := peopletest.Conformance(context.Background(), target(s, true))
	require.NoError(t, err)
	var table bytes.Buffer
	require.NoError(t, report.WriteTable(&table))
	t.Log("\n" + table.String())
	assert.Empty(t, report.Failures())
	assert.Zero(t, report.Count(peopletest.Skip), "every case has what it needs on the fake")
	assert.GreaterOrEqual(t, len(report.Results), 40)

	ops := map[string]int{}
	for _, r := range report.Results {
		ops[r.Operation]++
	}
	for _, op := range []string{"listPeople", "getPerson", "updatePerson", "inspectPeoplePermissions"} {
		assert.Positive(t, ops[op], "no case for %s", op)
	}
	assert.Contains(t, table.String(), fmt.Sprintf("conformance: %d passed, 0 failed, 0 skipped", len(report.Results)))

	t.Run("the valid updates change nothing", func(t *testing.T) {
		fresh := quietServer(t)
		before := fresh.People()
		_, err := peopletest.Conformance(context.Background(), target(fresh, true))
		require.NoError(t, err)
		after := fresh.People()
		require.Len(t, after, len(before))
		for i := range before {
			assert.Equal(t, before[i].Name, after[i].Name)
			assert.Equal(t, before[i].Status, after[i].Status)
			assert.Equal(t, before[i].Thumbnail, after[i].Thumbnail)
		}
	})
}

func TestConformanceReadOnlySendsNoWrite(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	report, err := peopletest.Conformance(context.Background(), target(s, false))
	require.NoError(t, err)
	assert.Empty(t, report.Failures())
	for _, r := range s.Requests() {
		assert.NotEqual(t, http.MethodPut, r.Method)
	}
	for _, r := range report.Results {
		assert.NotEqual(t, "updatePerson", r.Operation)
	}
}

func TestConformanceCatchesABrokenServer(t *testing.T) {
	t.Parallel()
	t.Run("a body that breaks the spec", func(t *testing.T) {
		s := quietServer(t)
		s.InjectFault(1000, peopletest.Fault{Body: `{"person":{"name":7}}`})
		report, err := peopletest.Conformance(context.Background(), target(s, false))
		require.NoError(t, err)
		assert.NotEmpty(t, report.Failures())
	})
	t.Run("server errors", func(t *testing.T) {
		s := quietServer(t)
		s.InjectFault(1000, peopletest.Fault{Status: 500})
		report, err := peopletest.Conformance(context.Background(), target(s, false))
		require.NoError(t, err)
		for _, r := range report.Results {
			if r.Verdict != peopletest.Skip {
				assert.Equal(t, peopletest.Fail, r.Verdict, "%s %s: %s", r.Operation, r.Case, r.Got)
			}
		}
	})
	t.Run("a server that accepts what the spec refuses", func(t *testing.T) {
		// Answers 200 to everything with a valid page: every negative
		// case must fail.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"people":[]}`))
		}))
		defer srv.Close()
		report, err := peopletest.Conformance(context.Background(), peopletest.ConformanceTarget{BaseURL: srv.URL, CloudName: "c", APIKey: "k", APISecret: "s"})
		require.NoError(t, err)
		var negatives, failed int
		for _, r := range report.Results {
			// Cases about a person are skipped: this server has none.
			if strings.HasPrefix(r.Expected, "documented 4xx") && r.Verdict != peopletest.Skip {
				negatives++
				if r.Verdict == peopletest.Fail {
					failed++
				}
			}
		}
		assert.Positive(t, negatives)
		assert.Equal(t, negatives, failed)
	})
	t.Run("no server", func(t *testing.T) {
		report, err := peopletest.Conformance(context.Background(), peopletest.ConformanceTarget{BaseURL: "http://127.0.0.1:1", CloudName: "c", APIKey: "k", APISecret: "s"})
		require.NoError(t, err)
		assert.Equal(t, len(report.Results), report.Count(peopletest.Fail)+report.Count(peopletest.Skip))
	})
}

func TestTargetFromCloudinaryURL(t *testing.T) {
	t.Parallel()
	got, err := peopletest.TargetFromCloudinaryURL("cloudinary://123:s%2Fe%40cret@demo?upload_prefix=https://api-eu.cloudinary.com&oauth_token=tok")
	require.NoError(t, err)
	assert.Equal(t, peopletest.ConformanceTarget{BaseURL: "https://api-eu.cloudinary.com", CloudName: "demo", APIKey: "123", APISecret: "s/e@cret", OAuthToken: "tok"}, got)

	got, err = peopletest.TargetFromCloudinaryURL("cloudinary://k:s@demo")
	require.NoError(t, err)
	assert.Equal(t, "https://api.cloudinary.com", got.BaseURL)

	for _, bad := range []string{"https://k:sup3r-secret-value@demo", "cloudinary://k:sup3r-secret-value@", "cloudinary://k:sup3r%zzsecret@demo"} {
		_, err := peopletest.TargetFromCloudinaryURL(bad)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "sup3r", "the secret must not be echoed")
	}
}

func TestConformanceSendsCredentialsOnlyWhereTheWrapperWould(t *testing.T) {
	t.Parallel()
	t.Run("clear-text upload_prefix is refused", func(t *testing.T) {
		for _, prefix := range []string{"http://api.cloudinary.com", "http://10.1.2.3:8080", "ftp://x"} {
			_, err := peopletest.TargetFromCloudinaryURL("cloudinary://k:sup3r-secret-value@demo?upload_prefix=" + prefix)
			require.Error(t, err, prefix)
			assert.NotContains(t, err.Error(), "sup3r")
		}
	})
	t.Run("a clear-text target is refused before anything is sent", func(t *testing.T) {
		_, err := peopletest.Conformance(context.Background(), peopletest.ConformanceTarget{
			BaseURL: "http://10.1.2.3:8080", CloudName: "c", APIKey: "k", APISecret: "s"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "clear text")
	})
	t.Run("redirects are failures, never followed", func(t *testing.T) {
		var followed atomic.Int64
		elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "" {
				followed.Add(1)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"people":[]}`))
		}))
		defer elsewhere.Close()
		redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		}))
		defer redirecting.Close()
		report, err := peopletest.Conformance(context.Background(), peopletest.ConformanceTarget{
			BaseURL: redirecting.URL, CloudName: "c", APIKey: "k", APISecret: "s", HTTPClient: &http.Client{}})
		require.NoError(t, err)
		assert.Zero(t, followed.Load(), "credentials followed a redirect")
		assert.Zero(t, report.Count(peopletest.Pass), "a redirect passed a case")
		for _, res := range report.Failures() {
			if !assert.Contains(t, res.Got, "307") {
				break
			}
		}
	})
}

// lyingPager stands in front of a fake and lies on every page after the
// first, as lie says; first pages, and every other call, pass unchanged.
func lyingPager(t *testing.T, lie func(fake *peopletest.Server, r *http.Request, people []json.RawMessage) []json.RawMessage) (*peopletest.Server, string) {
	fake := quietServer(t)
	return fake, testkit.Rewriting(t, fake.URL, func(r *http.Request, status int, body []byte) (int, []byte) {
		if r.URL.Query().Get("next_cursor") == "" || status != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/people") {
			return status, body
		}
		var page map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(body, &page))
		var people []json.RawMessage
		require.NoError(t, json.Unmarshal(page["people"], &people))
		page["people"], _ = json.Marshal(lie(fake, r, people))
		body, _ = json.Marshal(page)
		return status, body
	})
}

func TestConformanceCatchesPagersThatLie(t *testing.T) {
	t.Parallel()
	var last json.RawMessage // the last person of the previous page, for the repeater
	tests := []struct {
		name      string
		lie       func(*peopletest.Server, *http.Request, []json.RawMessage) []json.RawMessage
		invariant string
	}{
		{"one that drops the first person of each later page", func(_ *peopletest.Server, _ *http.Request, p []json.RawMessage) []json.RawMessage {
			if len(p) > 0 {
				return p[1:]
			}
			return p
		}, "is missing"},
		{"one that serves later pages out of order", func(_ *peopletest.Server, _ *http.Request, p []json.RawMessage) []json.RawMessage {
			slices.Reverse(p)
			return p
		}, "out of order inside page"},
		{"one that repeats a person across a boundary", func(_ *peopletest.Server, _ *http.Request, p []json.RawMessage) []json.RawMessage {
			out := p
			if last != nil {
				out = append([]json.RawMessage{last}, p...)
			}
			if len(p) > 0 {
				last = p[len(p)-1]
			}
			return out
		}, "twice"},
		{"one that forgets the filter after the first page", func(fake *peopletest.Server, r *http.Request, p []json.RawMessage) []json.RawMessage {
			q := r.URL.Query()
			if q.Get("status") == "" {
				return p
			}
			// As many people, from those the filter leaves out.
			other := map[string]string{"active": "hidden", "hidden": "active"}[q.Get("status")]
			_, body := testkit.Forward(t, fake.URL, r, "max_results=100&status="+other)
			var page struct{ People []json.RawMessage }
			require.NoError(t, json.Unmarshal(body, &page))
			return page.People[:min(len(p), len(page.People))]
		}, "does not match the filter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last = nil
			fake, url := lyingPager(t, tt.lie)
			report, err := peopletest.Conformance(t.Context(), peopletest.ConformanceTarget{
				BaseURL: url, CloudName: fake.CloudName, APIKey: fake.APIKey, APISecret: fake.APISecret})
			require.NoError(t, err)
			var named []string
			for _, f := range report.Failures() {
				require.Contains(t, f.Case, "walk", "only walk cases see the lie: %+v", f)
				if strings.Contains(f.Got, tt.invariant) {
					named = append(named, f.Case)
				}
			}
			assert.NotEmpty(t, named, "no walk case names %q: %+v", tt.invariant, report.Failures())
		})
	}
}

func TestConformanceWalksKeepToTheirBudget(t *testing.T) {
	t.Parallel()
	s := quietServer(t, peopletest.WithGeneratedPeople(500))
	for _, budget := range []int{0, 22} {
		t.Run(fmt.Sprintf("WalkCalls %d", budget), func(t *testing.T) {
			s.Reset()
			tgt := target(s, false)
			tgt.WalkCalls = budget
			report, err := peopletest.Conformance(t.Context(), tgt)
			require.NoError(t, err)
			assert.Empty(t, report.Failures())
			walks := 0
			for _, r := range report.Results {
				if strings.HasPrefix(r.Case, "walk ") {
					walks++
				}
			}
			// Each walk makes one call at 100 a page and the rest at 2 a
			// page, a size no other case asks for.
			small := 0
			for _, r := range s.Requests() {
				if r.Query.Get("max_results") == "2" {
					small++
				}
			}
			require.Positive(t, walks)
			assert.LessOrEqual(t, small+walks, max(cmp.Or(budget, peopletest.DefaultWalkCalls), 2*walks))
			assert.GreaterOrEqual(t, small+walks, 2*walks, "every walk crosses a page boundary on 500 people")
		})
	}
}

func quietServer(t *testing.T, opts ...peopletest.Option) *peopletest.Server {
	return testkit.QuietServer(t, opts...)
}

func target(s *peopletest.Server, writes bool) peopletest.ConformanceTarget {
	return peopletest.ConformanceTarget{BaseURL: s.URL, CloudName: s.CloudName, APIKey: s.APIKey, APISecret: s.APISecret, Writes: writes}
}
