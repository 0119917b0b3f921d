package wrapper_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// The fuzz targets go through the public API. A RoundTripper hands the
// fuzzed answer straight back, so no socket is involved and each input
// runs in microseconds.

type cannedTransport struct {
	status      int
	contentType string
	body        []byte
}

func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h := http.Header{}
	if c.contentType != "" {
		h.Set("Content-Type", c.contentType)
	}
	return &http.Response{
		StatusCode: c.status, Header: h, Body: io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)), Request: r,
	}, nil
}

func cannedClient(t *testing.T, status int, contentType string, body []byte) *wrapper.Client {
	c, err := wrapper.New(wrapper.WithCloudName("c"), wrapper.WithAPIKey(testKey), wrapper.WithAPISecret(testSecret),
		wrapper.WithBaseURL("http://127.0.0.1"), wrapper.WithMaxRetries(0),
		wrapper.WithHTTPClient(&http.Client{Transport: cannedTransport{status, contentType, body}}))
	require.NoError(t, err)
	return c
}

func FuzzParseCloudinaryURL(f *testing.F) {
	for _, seed := range []string{
		"cloudinary://123456789012345:abcdefghijklmnopqrstuvwxyz0@demo",
		"cloudinary://key:se%2Fcr%40et@cloud?upload_prefix=https://api-eu.cloudinary.com&timeout=30",
		"cloudinary://cloud?oauth_token=tok",
		"cloudinary://key:secret@cloud?timeout=1e309",
		"cloudinary://key:a-long-secret-value@cloud?timeout=soon",
		"cloudinary://key:sec/ret#x@cloud/",
		"https://key:secret@cloud",
		"cloudinary://:@",
		"cloudinary://k:s@c?upload_prefix=http://10.0.0.1",
		"cloudinary://k:s@c?%zz",
		"cloudinary://key:sec@cloud?oauth_token=a@b",
		"cloudinary://key:s@c@cloud?upload_prefix=https://u@api-eu.cloudinary.com",
		"cloudinary://k:s%0A@c",
		"cloudinary://k:s@c?oauth_token=a%1Bb",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		t.Setenv("CLOUDINARY_URL", "")
		c, err := wrapper.New(wrapper.WithCloudinaryURL(raw))
		if err != nil {
			require.ErrorIs(t, err, wrapper.ErrConfig, "New(%q)", raw)
			// The secret (between ':' and '@') must never be echoed back.
			// Short secrets can match the message's own words ("API
			// secret"), so only distinctive ones are checked.
			if _, rest, ok := strings.Cut(raw, "://"); ok {
				if userinfo, _, ok := strings.Cut(rest, "@"); ok {
					if _, secret, ok := strings.Cut(userinfo, ":"); ok && len(secret) >= 12 {
						require.NotContains(t, err.Error(), secret, "New(%q) echoes the secret", raw)
					}
				}
			}
			return
		}
		require.NotNil(t, c, "New(%q) returned neither client nor error", raw)
		// A cloud name that New accepts can be sent: no control
		// characters, no '@' (the userinfo split at the wrong place).
		require.NotContains(t, c.CloudName(), "@", "New(%q)", raw)
		for _, r := range c.CloudName() {
			require.False(t, unicode.IsControl(r), "New(%q): cloud name %q", raw, c.CloudName())
		}
	})
}

// FuzzCloudinaryURLParts builds a CLOUDINARY_URL from a key, a secret and a
// cloud name, unescaped as people paste them, and checks that New either
// refuses it or reads back exactly those parts. The check knows nothing of
// how the parser splits: only that a secret in which an '@' is followed by
// '?' and then '=' reads, by its own text, as "cloud?key=value" and is
// ambiguous (the README says to percent-encode such a secret).
func FuzzCloudinaryURLParts(f *testing.F) {
	f.Add("123456789012345", "Zx8@q9Lm3TpWq?7Rk", "demo-cloud")
	f.Add("0", "0@0?", "0")
	f.Add("1", "a/b#c@d", "cloud")
	f.Add("1", "plain-Secret_27", "c")
	ambiguous := regexp.MustCompile(`@.*\?.*=`)
	f.Fuzz(func(t *testing.T, key, secret, cloud string) {
		if !validCloudName(key) || !validCloudName(cloud) ||
			strings.ContainsFunc(secret, unicode.IsControl) || !utf8.ValidString(secret) {
			return
		}
		t.Setenv("CLOUDINARY_URL", "")
		raw := "cloudinary://" + key + ":" + secret + "@" + cloud
		c, err := wrapper.New(wrapper.WithCloudinaryURL(raw), wrapper.WithBaseURL("http://127.0.0.1:1"))
		if err != nil {
			require.ErrorIs(t, err, wrapper.ErrConfig)
			if len(secret) >= 12 {
				require.NotContains(t, err.Error(), secret, "New(%q) echoes the secret", raw)
			}
			if !strings.ContainsAny(secret, "%@?") && secret != "" {
				require.FailNowf(t, "refused a plain URL", "New(%q): %v", raw, err)
			}
			return
		}
		if ambiguous.MatchString(secret) {
			return
		}
		require.Equal(t, cloud, c.CloudName(), "New(%q) split the secret %q wrongly", raw, secret)
	})
}

// validCloudName: the characters cloud names (and API keys) are made of.
func validCloudName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func FuzzDecodeAPIError(f *testing.F) {
	ctx := f.Context()
	f.Add(404, "application/json", []byte(`{"error":{"message":"Can't find Person with id x"}}`))
	f.Add(503, "text/html", []byte("<html><body>503</body></html>"))
	f.Add(420, "", []byte(""))
	f.Add(500, "application/json", []byte(`{"error":{"message":null}}`))
	f.Add(400, "application/json", []byte(`{"error":"flat string"}`))
	f.Add(429, "application/json", []byte(`{"error":{"message":"`+strings.Repeat("x", 600)+`"}}`))
	f.Add(301, "text/plain", []byte("moved"))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 300 || status > 599 {
			status = 300 + (abs(status) % 300)
		}
		_, err := cannedClient(t, status, contentType, body).GetPerson(ctx, "p1")
		var apiErr *wrapper.APIError
		require.ErrorAs(t, err, &apiErr, "HTTP %d", status)
		require.Equal(t, status, apiErr.StatusCode)
		require.NotEmpty(t, apiErr.Message)
		require.Contains(t, err.Error(), strconv.Itoa(status))
		require.LessOrEqual(t, len(apiErr.Body), len(body), "Body grew")
		// No control character from the server reaches the error text.
		for _, r := range err.Error() {
			require.False(t, unicode.IsControl(r), "control character %q in %q", r, err)
		}
		require.Equal(t, 1, strings.Count(err.Error(), "people:"), err.Error())
	})
}

func FuzzDecodePerson(f *testing.F) {
	ctx := f.Context()
	f.Add([]byte(`{"person":{"id":"p1","name":null,"status":"active","thumbnail":{"bounding_box":[1,2,3,4]},"created_at":"2024-06-10T09:13:20Z"}}`))
	f.Add([]byte(`{"person":{"id":"p1","name":"A","status":"zz_unknown_status","extra":[1,{"x":null}]}}`))
	f.Add([]byte(`{"person":{"thumbnail":{"bounding_box":[1e40]}}}`))
	f.Add([]byte(`{"person":{"created_at":"not a date"}}`))
	f.Add([]byte(`{"people":[{"id":"p1"}],"next_cursor":"c"}`))
	f.Add([]byte(`{"person":`))
	f.Add([]byte(`<html>`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"person":null}`))
	f.Add([]byte(`{"people":null}`))
	f.Add([]byte(`{"person_id":"p1","inspections":{"Person":{"p1":{"read":true}}}}`))
	f.Add([]byte(`{"message":"ok"}`))
	f.Add([]byte(`{"person":"","inspections":{"Person":{"p1":{"read":true}}}}`))
	f.Add([]byte(`{"people":{},"person_id":7,"person":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		// What the body holds, judged independently of the SDK and per
		// operation: a field another operation needs may be anything.
		present := func(field string) bool { return presentFold(body, field) }
		personID := func() string {
			var probe struct {
				Person *struct {
					ID string `json:"id"`
				} `json:"person"`
			}
			if json.Unmarshal(body, &probe) != nil || probe.Person == nil {
				return ""
			}
			return probe.Person.ID
		}

		c := cannedClient(t, 200, "application/json", body)
		p, err := c.GetPerson(ctx, "p1")
		checkOutcome(t, "GetPerson", err, p != nil)
		if err == nil && (p.ID == "" || personID() == "") {
			require.FailNowf(t, "fuzz invariant broken", "GetPerson succeeded on %q, which has no person.id", body)
		}
		page, err := c.ListPeople(ctx, wrapper.ListOptions{})
		checkOutcome(t, "ListPeople", err, page != nil)
		if err == nil && !present("people") {
			require.FailNowf(t, "fuzz invariant broken", "ListPeople succeeded on %q, which has no people list", body)
		}
		up, err := c.UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Name: "Ann"})
		checkOutcome(t, "UpdatePerson", err, up != nil)
		if err == nil && (up.ID == "" || !present("person_id")) {
			require.FailNowf(t, "fuzz invariant broken", "UpdatePerson succeeded on %q, which has no person_id", body)
		}
		_, err = c.InspectPeoplePermissions(ctx, []string{"p1"}, "read")
		checkOutcome(t, "InspectPeoplePermissions", err, true)
		if err == nil && !present("inspections") {
			require.FailNowf(t, "fuzz invariant broken", "InspectPeoplePermissions succeeded on %q, which has no inspections", body)
		}
	})
}

// presentFold reports whether body is one JSON object whose field is there
// and not null, as encoding/json reads it: keys match ignoring case, and of
// several matching keys the last one counts.
func presentFold(body []byte, field string) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	found := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return false
		}
		if key, _ := tok.(string); strings.EqualFold(key, field) {
			found = string(value) != "null"
		}
	}
	if _, err := dec.Token(); err != nil {
		return false
	}
	_, err := dec.Token()
	return found && err == io.EOF
}

// checkOutcome: a 2xx answer either succeeds with a value or fails with
// ErrMalformedResponse, nothing else.
func checkOutcome(t *testing.T, op string, err error, gotValue bool) {
	t.Helper()
	if err != nil && !errors.Is(err, wrapper.ErrMalformedResponse) {
		require.FailNowf(t, "fuzz invariant broken", "%s: err = %v, want nil or ErrMalformedResponse", op, err)
	}
	if err == nil && !gotValue {
		require.FailNowf(t, "fuzz invariant broken", "%s: no value and no error", op)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
