package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestHelpPrintsTheUsageAndExitsZero(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"-h", "-help", "--help"} {
		t.Run(arg, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 0, run(context.Background(), []string{arg}, &stdout, &stderr))
			out := stdout.String()
			for _, want := range []string{"fake Cloudinary People Search API", "/_peoplemock/faults", "/_peoplemock/drift", "/_peoplemock/drift/overlay", "Proxy mode", "-reject-invalid", "whole listPeople answer"} {
				assert.Contains(t, out, want)
			}
		})
	}
}

func TestTheSummaryAgreesWithItselfAfterAReset(t *testing.T) {
	t.Parallel()
	m := start(t)
	c := m.client(t)
	_, err := c.ListPeople(context.Background(), wrapper.ListOptions{})
	require.NoError(t, err)
	code, _ := do(t, http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people?max_results=500", "")
	require.Equal(t, http.StatusBadRequest, code)
	code, _ = do(t, http.MethodPost, m.base(t)+"/_peoplemock/reset", "")
	require.Equal(t, http.StatusOK, code)
	_, body := do(t, http.MethodGet, m.base(t)+"/_peoplemock/violations", "")
	assert.JSONEq(t, `[]`, body, "the lists start again")
	require.Equal(t, 0, m.exit(t))
	assert.Contains(t, m.stderr.String(), "stopped after 2 calls, 1 contract violation (0 on purpose), 0 drift findings",
		"the summary counts the whole run, calls and violations alike")
}

func TestViolationLinesCarryOnePrefix(t *testing.T) {
	t.Parallel()
	m := start(t)
	do(t, http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people?max_results=500", "")
	m.exit(t)
	assert.Contains(t, m.stderr.String(), "contract violation: GET /v1_1/demo-cloud/people")
	assert.NotContains(t, m.stderr.String(), "peopletest: contract violation")
}

func TestDriftIsLoggedListedAndCounted(t *testing.T) {
	t.Parallel()
	m := start(t, "-json")
	code, _ := do(t, http.MethodPost, m.base(t)+"/_peoplemock/faults", `{"status":200,"body":"{\"people\":[],\"total\":0}","count":2}`)
	require.Equal(t, http.StatusCreated, code)
	for range 2 {
		_, err := m.client(t).ListPeople(context.Background(), wrapper.ListOptions{})
		require.NoError(t, err)
	}
	_, body := do(t, http.MethodGet, m.base(t)+"/_peoplemock/drift", "")
	var drift []peopletest.Drift
	require.NoError(t, json.Unmarshal([]byte(body), &drift))
	assert.Equal(t, []peopletest.Drift{{Operation: "listPeople", Status: 200, Where: "/total", Kind: "property", Value: "0", Schema: map[string]any{"type": "integer"}}}, drift)
	assert.Equal(t, 0, m.exit(t), "drift does not fail -strict's absence")
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(m.stderr.String()), "\n") {
		var e map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &e), line)
		events = append(events, e)
	}
	kinds := map[string]int{}
	for _, e := range events {
		kinds[e["event"].(string)]++
	}
	assert.Equal(t, 1, kinds["drift"], "one line per finding")
	assert.EqualValues(t, 1, events[len(events)-1]["drift"])
}

func TestStrictDriftFailsOnDrift(t *testing.T) {
	t.Parallel()
	// An upstream that has moved on: every answer gains a property.
	moved := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"people":[],"zz_undeclared_probe":3}`))
	}))
	t.Cleanup(moved.Close)
	for _, tc := range []struct {
		flag string
		want int
	}{{"-strict", 0}, {"-strict-drift", 1}} {
		t.Run(tc.flag, func(t *testing.T) {
			m := start(t, tc.flag, "-proxy", moved.URL)
			code, _ := do(t, http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people", "")
			require.Equal(t, http.StatusOK, code)
			assert.Equal(t, tc.want, m.exit(t))
		})
	}
}

func TestStrictIgnoresWhatWasInjectedOnPurpose(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"-strict", "-strict-drift"} {
		t.Run(flag, func(t *testing.T) {
			m := start(t, flag)
			// A fault of a status listPeople does not document: drift and
			// a violation, both made on purpose.
			do(t, http.MethodPost, m.base(t)+"/_peoplemock/faults", `{"status":409}`)
			_, err := m.client(t, wrapper.WithMaxRetries(0)).ListPeople(context.Background(), wrapper.ListOptions{})
			require.Error(t, err)
			assert.Equal(t, 0, m.exit(t))
			assert.Contains(t, m.stderr.String(), "on purpose")
		})
	}
}

func TestPreferThroughPeoplemock(t *testing.T) {
	t.Parallel()
	m := start(t)
	req, err := http.NewRequest(http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people", nil)
	require.NoError(t, err)
	req.SetBasicAuth(peopletest.DefaultAPIKey, peopletest.DefaultAPISecret)
	req.Header.Set("Prefer", "code=429")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
}

func TestProxyRejectInvalidFlag(t *testing.T) {
	t.Parallel()
	upstream := start(t)
	proxy := start(t, "-proxy", upstream.base(t), "-reject-invalid")
	code, body := do(t, http.MethodGet, proxy.base(t)+"/v1_1/demo-cloud/people?max_results=500", "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "max_results")
	_, reqs := do(t, http.MethodGet, upstream.base(t)+"/_peoplemock/requests", "")
	assert.JSONEq(t, `[]`, reqs, "nothing reached the upstream")
}

func TestTooManyPeopleIsRefusedClearly(t *testing.T) {
	t.Parallel()
	var stderr testkit.SyncBuffer
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-people", "100000001"}, io.Discard, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "-people 100000001")
}

// The Python cloudinary-people SDK appends "/<cloud_name>/people" to its
// base_url, whose default ends in /v1_1: the documented base_url reaches
// the fake, and one without /v1_1 is told what People paths look like.
func TestPythonStyleBaseURL(t *testing.T) {
	t.Parallel()
	m := start(t)
	for _, tc := range []struct {
		name, baseURL string
		want          int
	}{
		{"base_url ending in /v1_1", m.base(t) + "/v1_1", http.StatusOK},
		{"base_url without /v1_1", m.base(t), http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := do(t, http.MethodGet, tc.baseURL+"/demo-cloud/people?max_results=2", "")
			assert.Equal(t, tc.want, code, body)
			if tc.want == http.StatusNotFound {
				assert.Contains(t, body, "GET /v1_1/{cloud_name}/people")
			}
		})
	}
	t.Run("proxy mode too", func(t *testing.T) {
		proxy := start(t, "-proxy", m.base(t))
		code, body := do(t, http.MethodGet, proxy.base(t)+"/v1_1/demo-cloud/people?max_results=2", "")
		assert.Equal(t, http.StatusOK, code, body)
	})
}

func TestTheSummarySpeaksInWholeWords(t *testing.T) {
	t.Parallel()
	m := start(t)
	do(t, http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people", "")
	m.exit(t)
	assert.Contains(t, m.stderr.String(), "stopped after 1 call, 0 contract violations (0 on purpose), 0 drift findings")
}

func TestVersionPrintsTheModuleVersion(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-version"}, &stdout, &stderr))
	assert.Regexp(t, `^peoplemock (v\d+\.\d+\.\d+|\(devel\))`, stdout.String())
	assert.Empty(t, stderr.String())
}
