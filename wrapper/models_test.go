package wrapper_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// withProbe is an answer in which every person carries a property
// openapi.yaml does not declare, and the first a nested one too.
func withProbe(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	person := `{"id":"p1","name":null,"status":"active","zz_undeclared_probe":{"n":7},
		"thumbnail":{"asset_id":"a1","bounding_box":[1,2,3,4],"zz_nested_probe":true}}`
	switch {
	case r.Method == http.MethodPut:
		w.Write([]byte(`{"person_id":"p1","name":"Ada","status":"active","zz_undeclared_probe":3}`))
	case strings.HasSuffix(r.URL.Path, "/people"):
		w.Write([]byte(`{"people":[` + person + `,{"id":"p2","zz_undeclared_probe":2}]}`))
	default:
		w.Write([]byte(`{"person":` + person + `}`))
	}
}

func TestAPersonKeepsWhatTheSpecDoesNotDeclare(t *testing.T) {
	t.Parallel()
	c := newServer(t, withProbe).client(t)
	ctx := t.Context()
	first := func(t *testing.T, people []wrapper.Person, err error) wrapper.Person {
		require.NoError(t, err)
		require.NotEmpty(t, people)
		return people[0]
	}
	for name, get := range map[string]func(t *testing.T) wrapper.Person{
		"GetPerson": func(t *testing.T) wrapper.Person {
			p, err := c.GetPerson(ctx, "p1")
			require.NoError(t, err)
			return *p
		},
		"ListPeople": func(t *testing.T) wrapper.Person {
			page, err := c.ListPeople(ctx, wrapper.ListOptions{})
			require.NoError(t, err)
			return first(t, page.People, nil)
		},
		"Pages": func(t *testing.T) wrapper.Person {
			for page, err := range c.Pages(ctx, wrapper.ListOptions{}) {
				return first(t, page.People, err)
			}
			t.Fatal("no page")
			return wrapper.Person{}
		},
		"AllPeople": func(t *testing.T) wrapper.Person {
			for p, err := range c.AllPeople(ctx, wrapper.ListOptions{}) {
				return first(t, []wrapper.Person{p}, err)
			}
			t.Fatal("no person")
			return wrapper.Person{}
		},
	} {
		t.Run(name, func(t *testing.T) {
			p := get(t)
			var probe struct{ N int }
			require.NoError(t, json.Unmarshal(p.Undeclared["zz_undeclared_probe"], &probe), "read by name")
			assert.Equal(t, 7, probe.N)
			data, err := json.Marshal(p)
			require.NoError(t, err)
			assert.JSONEq(t, `{"id":"p1","name":null,"status":"active","zz_undeclared_probe":{"n":7},
				"thumbnail":{"asset_id":"a1","bounding_box":[1,2,3,4],"zz_nested_probe":true}}`, string(data),
				"the API's names, the undeclared properties included")
		})
	}
	t.Run("UpdatePerson", func(t *testing.T) {
		up, err := c.UpdatePerson(ctx, "p1", wrapper.PersonUpdate{Name: "Ada"})
		require.NoError(t, err)
		assert.Equal(t, "p1", up.ID)
		assert.JSONEq(t, "3", string(up.Undeclared["zz_undeclared_probe"]))
	})
}

func TestAPersonRoundTripsThroughJSON(t *testing.T) {
	t.Parallel()
	in := `{"id":"p1","name":"Ada","status":"zz_unknown_status","created_at":"2024-06-10T09:13:20Z","zz_undeclared_probe":[1,2]}`
	var p wrapper.Person
	require.NoError(t, json.Unmarshal([]byte(in), &p))
	assert.Equal(t, "Ada", p.Name)
	assert.Equal(t, wrapper.Status("zz_unknown_status"), p.Status, "an unknown enum value is kept")
	out, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
}
