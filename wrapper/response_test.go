package wrapper_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

func TestTwoXXBodyWithoutWhatTheOperationNeedsIsMalformed(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
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

func TestMalformedSuccessBodiesAreErrorsNotPanics(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	for name, h := range map[string]http.HandlerFunc{
		"truncated JSON":  jsonBody(200, `{"people":[{"id":"p1","na`),
		"HTML with 200":   respond(200, "text/html", "<html>maintenance</html>"),
		"wrong types":     jsonBody(200, `{"people":"nope"}`),
		"bad date":        jsonBody(200, `{"people":[{"id":"p1","status":"active","created_at":"yesterday"}]}`),
		"empty body":      respond(200, "application/json", ""),
		"number as array": jsonBody(200, `{"people":[{"id":"p1","thumbnail":{"bounding_box":7}}]}`),
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			_, err := srv.client(t).ListPeople(ctx, wrapper.ListOptions{})
			assert.ErrorIs(t, err, wrapper.ErrMalformedResponse)
			assert.Len(t, srv.Calls(), 1, "a malformed 200 must not be retried")
		})
	}
}

func TestMalformedAnswersAreDescribedInTheAPIsTerms(t *testing.T) {
	ctx := t.Context()
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       string
	}{
		{"person is a string", `{"person":""}`, `"person" is a JSON string where the spec wants an object`},
		{"id is a number", `{"person":{"id":5}}`, `"person.id" is a JSON number where the spec wants a string`},
		{"a date that is not one", `{"person":{"id":"p1","created_at":"nope"}}`, `"nope" is not an RFC 3339 date-time`},
		{"not JSON", `<html>`, `not JSON`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jsonBody(200, tc.body))
			_, err := srv.client(t).GetPerson(ctx, "p1")
			require.ErrorIs(t, err, wrapper.ErrMalformedResponse)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "generated.")
			assert.NotContains(t, err.Error(), "Go struct")
		})
	}
}
