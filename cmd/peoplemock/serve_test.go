package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
	"github.com/cldpeople/cloudinary-people-go/internal/testkit"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestPeoplemockServesTheFake(t *testing.T) {
	t.Parallel()
	m := start(t)
	assert.Regexp(t, `^CLOUDINARY_URL=cloudinary://123456789012345:fake-secret-Zx8_q9@demo-cloud\?upload_prefix=http://127\.0\.0\.1:\d+$`, m.line)

	c := m.client(t)
	var n int
	for _, err := range c.AllPeople(context.Background(), wrapper.ListOptions{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, len(fakestore.DefaultPeople()), n, "the default cast")
	page, err := c.ListPeople(context.Background(), wrapper.ListOptions{MaxResults: 1})
	require.NoError(t, err)
	_, err = c.UpdatePerson(context.Background(), page.People[0].ID, wrapper.PersonUpdate{Name: "Renamed"})
	require.NoError(t, err)

	t.Run("control API: requests, with credentials redacted", func(t *testing.T) {
		code, body := do(t, http.MethodGet, m.base(t)+"/_peoplemock/requests", "")
		require.Equal(t, 200, code)
		var reqs []peopletest.RecordedRequest
		require.NoError(t, json.Unmarshal([]byte(body), &reqs))
		assert.GreaterOrEqual(t, len(reqs), 3)
		assert.NotContains(t, body, peopletest.DefaultAPISecret)
		assert.Equal(t, "Basic [redacted]", reqs[0].Header["Authorization"][0])
	})
	t.Run("control API: reset restores the data", func(t *testing.T) {
		code, _ := do(t, http.MethodPost, m.base(t)+"/_peoplemock/reset", "")
		require.Equal(t, 200, code)
		p, err := c.GetPerson(context.Background(), page.People[0].ID)
		require.NoError(t, err)
		assert.Equal(t, page.People[0].Name, p.Name)
	})
	t.Run("control API: a fault breaks the contract on purpose", func(t *testing.T) {
		code, _ := do(t, http.MethodPost, m.base(t)+"/_peoplemock/faults", `{"status":200,"body":"{\"people\":7}","count":1}`)
		require.Equal(t, http.StatusCreated, code)
		_, err := c.ListPeople(context.Background(), wrapper.ListOptions{})
		assert.ErrorIs(t, err, wrapper.ErrMalformedResponse)
		code, body := do(t, http.MethodGet, m.base(t)+"/_peoplemock/violations", "")
		require.Equal(t, 200, code)
		var vs []peopletest.ContractError
		require.NoError(t, json.Unmarshal([]byte(body), &vs))
		require.Len(t, vs, 1)
		assert.Equal(t, "listPeople", vs[0].Operation)
		assert.Contains(t, m.stderr.String(), "contract violation: GET /v1_1/demo-cloud/people (listPeople)")
	})
	t.Run("control API: a status fault with Retry-After", func(t *testing.T) {
		code, _ := do(t, http.MethodPost, m.base(t)+"/_peoplemock/faults", `{"status":503,"retry_after":"1s","count":2}`)
		require.Equal(t, http.StatusCreated, code)
		_, err := c.GetPerson(context.Background(), page.People[0].ID) // two 503s, then the answer
		assert.NoError(t, err)
	})
	t.Run("control API: a marshalled peopletest.Fault", func(t *testing.T) {
		f, err := json.Marshal(peopletest.Fault{Status: 429, RetryAfter: 1500 * time.Millisecond})
		require.NoError(t, err)
		code, _ := do(t, http.MethodPost, m.base(t)+"/_peoplemock/faults", string(f))
		require.Equal(t, http.StatusCreated, code)
		req, err := http.NewRequest(http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people", nil)
		require.NoError(t, err)
		req.SetBasicAuth(peopletest.DefaultAPIKey, peopletest.DefaultAPISecret)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 429, resp.StatusCode)
		assert.Equal(t, "2", resp.Header.Get("Retry-After"), "1.5 s, rounded up")
	})
	t.Run("control API: bad fault", func(t *testing.T) {
		code, body := do(t, http.MethodPost, m.base(t)+"/_peoplemock/faults", `{"stauts":503}`)
		assert.Equal(t, http.StatusBadRequest, code)
		assert.Contains(t, body, "stauts")
	})
	assert.Equal(t, 0, m.exit(t), "without -strict a violation does not fail the run")
	assert.Regexp(t, `stopped after \d+ calls, 1 contract violation \(1 on purpose\)`, m.stderr.String())
}

func TestPeoplemockStrictFailsOnViolations(t *testing.T) {
	t.Parallel()
	m := start(t, "-strict", "-json", "-people", "30")
	// A request that breaks the contract, as a client's bug would.
	code, _ := do(t, http.MethodGet, m.base(t)+"/v1_1/demo-cloud/people?max_results=500", "")
	require.Equal(t, http.StatusBadRequest, code)
	c := m.client(t)
	page, err := c.ListPeople(context.Background(), wrapper.ListOptions{MaxResults: 100})
	require.NoError(t, err)
	assert.Len(t, page.People, 30)
	assert.Equal(t, 1, m.exit(t))
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(m.stderr.String()), "\n") {
		var e map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &e), "not a JSON line: %q", line)
		events = append(events, e)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, fmt.Sprint(e["event"]))
	}
	assert.Contains(t, kinds, "violation")
	last := events[len(events)-1]
	assert.Equal(t, "summary", last["event"])
	assert.EqualValues(t, 1, last["violations"])
}

func TestPeoplemockSeedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join(dir, "people.json")
	require.NoError(t, os.WriteFile(seed, []byte(`[
		{"id":"p1","name":"Ann","status":"active","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"},
		{"id":"p2","name":null,"status":"hidden","thumbnail":{"asset_id":"a2","bounding_box":[1,2,3,4]}}
	]`), 0o600))
	m := start(t, "-seed", seed)
	c := m.client(t)
	p, err := c.GetPerson(context.Background(), "p2")
	require.NoError(t, err)
	assert.Equal(t, wrapper.StatusHidden, p.Status)
	assert.Equal(t, &wrapper.BoundingBox{X: 1, Y: 2, Width: 3, Height: 4}, p.Thumbnail.BoundingBox)

	t.Run("a whole listPeople answer", func(t *testing.T) {
		page := filepath.Join(dir, "page.json")
		require.NoError(t, os.WriteFile(page, []byte(`{"people":[{"id":"only","name":"Solo"}],"next_cursor":null}`), 0o600))
		m := start(t, "-seed", page)
		p, err := m.client(t).GetPerson(context.Background(), "only")
		require.NoError(t, err)
		assert.Equal(t, "Solo", p.Name)
	})
	t.Run("bad seed files", func(t *testing.T) {
		for name, content := range map[string]string{"not JSON": "{", "no id": `[{"name":"x"}]`, "empty": `[]`, "duplicate": `[{"id":"a"},{"id":"a"}]`} {
			f := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
			require.NoError(t, os.WriteFile(f, []byte(content), 0o600))
			var stderr testkit.SyncBuffer
			assert.Equal(t, 1, run(context.Background(), []string{"-addr", "127.0.0.1:0", "-seed", f}, io.Discard, &stderr), "a bad file, not a bad command line: %s", name)
			assert.Contains(t, stderr.String(), f, name)
			assert.NotContains(t, stderr.String(), "usage", name)
		}
	})
}

func TestPeoplemockProxyReportsUpstreamViolations(t *testing.T) {
	t.Parallel()
	upstream := start(t)
	proxy := start(t, "-proxy", upstream.base(t))
	assert.Regexp(t, `^CLOUDINARY_URL=cloudinary://123456789012345:fake-secret-Zx8_q9@demo-cloud\?upload_prefix=http://127\.0\.0\.1:\d+$`, proxy.line)
	assert.NotEqual(t, upstream.base(t), proxy.base(t))
	c := proxy.client(t) // the printed URL leads through the proxy to the upstream mock

	page, err := c.ListPeople(context.Background(), wrapper.ListOptions{MaxResults: 2})
	require.NoError(t, err, "calls pass through unchanged")
	require.Len(t, page.People, 2)

	// The upstream is told to break the contract; the proxy must say so.
	code, _ := do(t, http.MethodPost, upstream.base(t)+"/_peoplemock/faults", `{"status":200,"body":"{\"person\":{\"name\":5}}"}`)
	require.Equal(t, http.StatusCreated, code)
	_, err = c.GetPerson(context.Background(), page.People[0].ID)
	require.Error(t, err)
	code, body := do(t, http.MethodGet, proxy.base(t)+"/_peoplemock/violations", "")
	require.Equal(t, 200, code)
	var vs []peopletest.ContractError
	require.NoError(t, json.Unmarshal([]byte(body), &vs))
	require.NotEmpty(t, vs)
	assert.Equal(t, "getPerson", vs[0].Operation)
	assert.Equal(t, peopletest.PhaseResponse, vs[0].Phase)

	t.Run("PUT is refused without -allow-writes", func(t *testing.T) {
		_, err := c.UpdatePerson(context.Background(), page.People[0].ID, wrapper.PersonUpdate{Name: "X"})
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusMethodNotAllowed, apiErr.StatusCode)
		assert.Contains(t, apiErr.Message, "-allow-writes")
		p, err := c.GetPerson(context.Background(), page.People[0].ID)
		require.NoError(t, err)
		assert.Equal(t, page.People[0].Name, p.Name, "the upstream was not changed")
	})
	t.Run("no credential in logs or the recorded requests", func(t *testing.T) {
		_, body := do(t, http.MethodGet, proxy.base(t)+"/_peoplemock/requests", "")
		for _, out := range []string{body, proxy.stderr.String()} {
			assert.NotContains(t, out, peopletest.DefaultAPISecret)
			assert.NotContains(t, out, "MTIzNDU2Nzg5MDEyMzQ1OmZha2Utc2VjcmV0LVp4OF9xOQ") // base64 of key:secret
		}
	})
}

func TestPeoplemockProxyAllowWrites(t *testing.T) {
	t.Parallel()
	upstream := start(t)
	proxy := start(t, "-proxy", upstream.base(t), "-allow-writes")
	c, err := wrapper.New(wrapper.WithCloudName(peopletest.DefaultCloudName), wrapper.WithAPIKey(peopletest.DefaultAPIKey),
		wrapper.WithAPISecret(peopletest.DefaultAPISecret), wrapper.WithBaseURL(proxy.base(t)))
	require.NoError(t, err)
	page, err := c.ListPeople(context.Background(), wrapper.ListOptions{MaxResults: 1})
	require.NoError(t, err)
	up, err := c.UpdatePerson(context.Background(), page.People[0].ID, wrapper.PersonUpdate{Name: "Through the proxy"})
	require.NoError(t, err)
	assert.Equal(t, "Through the proxy", up.Name)
}

func TestPeoplemockFlagErrors(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{
		"unknown flag":                {"-nope"},
		"people and seed":             {"-people", "3", "-seed", "x.json"},
		"allow-writes without proxy":  {"-allow-writes"},
		"bad proxy URL":               {"-proxy", "ftp://x"},
		"proxy URL with a path":       {"-proxy", "http://127.0.0.1:9/v1_1"},
		"plain http to a remote host": {"-proxy", "http://example.com"},
		"negative people":             {"-people", "-1"},
		"negative rate limit":         {"-rate-limit", "-1"},
		"an hour under a second":      {"-rate-limit", "5", "-hour", "500ms"},
		"an hour of part seconds":     {"-rate-limit", "5", "-hour", "1500ms"},
		"rate limit in proxy mode":    {"-rate-limit", "5", "-proxy", "https://api.cloudinary.com"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr testkit.SyncBuffer
			code := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, &stderr)
			assert.Equal(t, 2, code)
			assert.NotEmpty(t, stderr.String())
		})
	}
}

func TestPeoplemockEnforcesItsHour(t *testing.T) {
	t.Parallel()
	m := start(t, "-rate-limit", "2", "-hour", testkit.HourNotEndingSoon(time.Now(), time.Minute).String())
	path := m.base(t) + "/v1_1/" + peopletest.DefaultCloudName + "/people"
	var got []int
	for range 3 {
		status, _ := do(t, "GET", path, "")
		got = append(got, status)
	}
	assert.Equal(t, []int{200, 200, 420}, got)
	_, body := do(t, "GET", m.base(t)+"/_peoplemock/requests", "")
	assert.Contains(t, body, `"status": 420`)
}

func TestASignalStopsPeoplemockWhileItLoads(t *testing.T) {
	t.Parallel()
	cmd := testkit.Program(t, []string{"-addr", "127.0.0.1:0", "-people", "20000000"})
	var stderr testkit.SyncBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	// The signal must land after the handler is set and before the
	// loading ends: the loading line marks the first, and twenty million
	// people take seconds.
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "event=loading") },
		10*time.Second, 5*time.Millisecond, "no loading line; stderr: %s", &stderr)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err)
		assert.Contains(t, stderr.String(), "stopped while loading")
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("peoplemock did not stop within 5 s of SIGINT while loading")
	}
}
