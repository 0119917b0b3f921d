package cloudinarypeople_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// movedAPI is a People API that has moved on from openapi.yaml: every
// hidden person comes back with status "archived" and a face_count.
func movedAPI(t *testing.T) (*peopletest.Server, string) {
	fake := peopletest.NewServer(nil, peopletest.OnViolation(func(*peopletest.ContractError) {}))
	t.Cleanup(fake.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), r.Method, fake.URL+r.URL.RequestURI(), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		moved := bytes.ReplaceAll(body.Bytes(), []byte(`"status":"hidden"`), []byte(`"status":"archived","face_count":2`))
		for k, v := range resp.Header {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(moved)
	}))
	t.Cleanup(srv.Close)
	return fake, srv.URL
}

// The regeneration loop, end to end: live traffic through the proxy shows
// drift, the drift becomes an overlay, make adopt applies it and names the
// wrapper change, the change is made, and make breaking passes with a
// CHANGELOG entry, the generated code being what the spec makes and the
// client's tests passing.
func TestTheRegenerationLoopFromLiveDrift(t *testing.T) {
	needTools(t)

	// 1-2. An upstream that answers one more property and a new status
	// value, seen through the validating proxy.
	fake, upstream := movedAPI(t)
	proxy, err := peopletest.NewProxy(upstream, peopletest.OnViolation(func(*peopletest.ContractError) {}))
	require.NoError(t, err)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	client, err := wrapper.New(wrapper.WithCloudinaryURL(fake.CloudinaryURL()), wrapper.WithBaseURL(front.URL))
	require.NoError(t, err)
	_, err = client.ListPeople(t.Context(), wrapper.ListOptions{MaxResults: 100})
	require.NoError(t, err, "the client takes what it does not know")
	require.NotEmpty(t, proxy.Drift())

	// 3. The overlay.
	doc, err := peopletest.DriftOverlay(proxy.Drift())
	require.NoError(t, err)
	overlay := filepath.Join(t.TempDir(), "overlay.yaml")
	require.NoError(t, os.WriteFile(overlay, doc, 0o644))

	adoptAndFollow(t, overlay, true)
}

// The same loop from Cloudinary's published document: make upstream writes
// the additive differences as an overlay, and the rest follows as above.
func TestTheRegenerationLoopFromThePublishedSchema(t *testing.T) {
	needTools(t)
	published, err := os.ReadFile("testdata/upstream/published.yaml")
	require.NoError(t, err)
	doc := strings.Replace(string(published), "        created_at:\n          type: string\n",
		"        face_count:\n          type: integer\n        created_at:\n          type: string\n", 1)
	doc = strings.Replace(doc, "      enum: [active, hidden]\n", "      enum: [active, hidden, archived]\n", 1)
	require.NotEqual(t, string(published), doc)
	dir := t.TempDir()
	schema, overlay := filepath.Join(dir, "schema.yml"), filepath.Join(dir, "overlay.yaml")
	require.NoError(t, os.WriteFile(schema, []byte(doc), 0o644))
	out, err := exec.Command("make", "--no-print-directory", "upstream", "SCHEMA="+schema, "OVERLAY="+overlay).CombinedOutput()
	require.Error(t, err, "new differences fail: %s", out)
	require.Contains(t, string(out), "wrote the additive differences")
	written, err := os.ReadFile(overlay)
	require.NoError(t, err)
	assert.Contains(t, string(written), "overlay: 1.0.0")
	adoptAndFollow(t, overlay, false)
}

// adoptAndFollow runs make adopt with overlay in a scratch worktree of
// HEAD and checks that it finishes the job with no other edit: the new
// property is a field, the new value a constant, CHANGELOG.md names them,
// the tests pass, make breaking shows the change, and (for live traffic)
// make upstream still passes against the published schema.
func adoptAndFollow(t *testing.T, overlay string, live bool) {
	t.Helper()
	wt := newScratch(t)
	in := func(_ *testing.T, name string, args ...string) (string, error) { return wt.run(name, args...) }

	out, err := in(t, "make", "--no-print-directory", "adopt", "OVERLAY="+overlay)
	require.NoError(t, err, out)
	for _, want := range []string{"`Person.FaceCount` (`face_count`)", "`StatusArchived` (`archived`)", "nothing is left by hand"} {
		assert.Contains(t, out, want)
	}
	diff, err := in(t, "git", "diff", "-U0", "openapi.yaml")
	require.NoError(t, err)
	for _, line := range strings.Split(diff, "\n") {
		if strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "---") {
			assert.Regexp(t, `^-\s+enum: \[`, line, "only the enum line is rewritten: %s", diff)
		}
	}
	changelog, err := in(t, "git", "diff", "CHANGELOG.md")
	require.NoError(t, err)
	assert.Contains(t, changelog, "+- `openapi.yaml`, `wrapper`: adopted from")

	out, err = in(t, "make", "--no-print-directory", "check-generated")
	require.NoError(t, err, out)
	out, err = in(t, "go", "test", "-count=1", "-skip", "^(TestMakeBreaking|TestMakeUpstream|TestTheRegenerationLoopFrom.*)$", "./...")
	require.NoError(t, err, "the tests pass with no edit but make adopt's: %s", out)
	out, err = in(t, "bash", "scripts/breaking.sh")
	require.NoError(t, err, out)
	assert.Contains(t, out, "face_count")
	if live {
		out, err = in(t, "make", "--no-print-directory", "upstream", "SCHEMA=testdata/upstream/published.yaml")
		require.NoError(t, err, "adopt recorded why openapi.yaml says more than the published schema: %s", out)
	}
}
