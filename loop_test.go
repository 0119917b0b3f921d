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
// hidden person comes back with status "merged" and a blur_score.
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
		moved := bytes.ReplaceAll(body.Bytes(), []byte(`"status":"hidden"`), []byte(`"status":"merged","blur_score":2`))
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

	adoptAndFollow(t, overlay)
}

// The same loop from Cloudinary's published document: make upstream writes
// the additive differences as an overlay, and the rest follows as above.
func TestTheRegenerationLoopFromThePublishedSchema(t *testing.T) {
	needTools(t)
	published, err := os.ReadFile("testdata/upstream/published.yaml")
	require.NoError(t, err)
	doc := strings.Replace(string(published), "        created_at:\n          type: string\n",
		"        blur_score:\n          type: integer\n        created_at:\n          type: string\n", 1)
	doc = strings.Replace(doc, "      enum: [active, hidden]\n", "      enum: [active, hidden, merged]\n", 1)
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
	adoptAndFollow(t, overlay)
}

// adoptAndFollow runs make adopt with overlay in a scratch worktree of
// HEAD, checks that it names the wrapper change for the status "merged"
// and the property blur_score, makes that change, and checks that make
// breaking passes with a CHANGELOG entry.
func adoptAndFollow(t *testing.T, overlay string) {
	t.Helper()
	wt := newScratch(t)
	in := func(_ *testing.T, name string, args ...string) (string, error) { return wt.run(name, args...) }
	edit := wt.edit

	// 4-5. make adopt: the spec changes by additions only, and the sync
	// check names the wrapper's next step.
	out, err := in(t, "make", "--no-print-directory", "adopt", "OVERLAY="+overlay)
	require.NoError(t, err, out)
	assert.Contains(t, out, "StatusMerged")
	assert.Contains(t, out, "blur_score")
	diff, err := in(t, "git", "diff", "-U0", "openapi.yaml")
	require.NoError(t, err)
	for _, line := range strings.Split(diff, "\n") {
		if strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "---") {
			assert.Regexp(t, `^-\s+enum: \[`, line, "only the enum line is rewritten: %s", diff)
		}
	}

	// 6. The wrapper change.
	edit(t, "wrapper/types.go", "\tStatusHidden Status = \"hidden\"\n", "\tStatusHidden Status = \"hidden\"\n\tStatusMerged Status = \"merged\"\n")
	edit(t, "internal/specsync/wrapper.go", "\tLeftOut: map[string]string{\n",
		"\tLeftOut: map[string]string{\n\t\t\"PersonDetails.blur_score\": \"seen in live traffic; not surfaced until its meaning is documented\",\n")
	out, err = in(t, "go", "test", "-count=1", "-run", "^TestWrapperMatchesSpec$", "./internal/specsync")
	require.NoError(t, err, "the sync check passes once the wrapper follows: %s", out)

	// 7. make breaking passes with a CHANGELOG entry, and the generated
	// code is what the spec makes.
	// A new value of a response enum breaks a client with a closed enum, so
	// make breaking asks for it under Breaking.
	edit(t, "CHANGELOG.md", "### Breaking\n", "### Breaking\n- `openapi.yaml`: a person's status may be `merged`; every person may carry `blur_score`. A client with a closed enum must accept the new value.\n")
	out, err = in(t, "make", "--no-print-directory", "check-generated")
	require.NoError(t, err, out)
	out, err = in(t, "bash", "scripts/breaking.sh", "HEAD")
	require.NoError(t, err, out)
	// The client passes as it is; the kit's and the checks' own
	// tests pin the enum values and count the cases the spec derives,
	// which a maintainer updates with the fake's data.
	out, err = in(t, "go", "test", "-count=1", "./wrapper")
	require.NoError(t, err, out)
}
