package peopletest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestFakeSendsNullNameForUnnamedPeople(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := peopletest.NewServer(t)
	c := s.Client()
	var unnamed string
	for _, p := range s.People() {
		if p.Name == "" {
			unnamed = p.ID
		}
	}
	require.NotEmpty(t, unnamed)
	g := c.Generated()
	up, err := g.UpdatePersonWithResponse(ctx, c.CloudName(), unnamed, generatedUpdate(wrapper.StatusHidden))
	require.NoError(t, err)
	require.Equal(t, 200, up.StatusCode())
	assert.Contains(t, string(up.Body), `"name":null`, "update answer")
	got, err := g.GetPersonWithResponse(ctx, c.CloudName(), unnamed)
	require.NoError(t, err)
	assert.Contains(t, string(got.Body), `"name":null`, "get answer")
	list, err := g.ListPeopleWithResponse(ctx, c.CloudName(), nil)
	require.NoError(t, err)
	assert.Contains(t, string(list.Body), `"name":null`, "list answer")
	assert.False(t, strings.Contains(string(list.Body), `"name":""`))
}

func generatedUpdate(status wrapper.Status) generated.UpdatePersonRequest {
	return generated.UpdatePersonRequest{Status: generated.PersonStatus(status)}
}

func TestFakeServerSemantics(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := peopletest.NewServer(t, peopletest.WithGeneratedPeople(57))
	c := s.Client()

	page, err := c.ListPeople(ctx, wrapper.ListOptions{})
	require.NoError(t, err)
	require.Len(t, page.People, 50, "the API's default page size")
	require.NotEmpty(t, page.NextCursor)
	rest, err := c.ListPeople(ctx, wrapper.ListOptions{NextCursor: page.NextCursor})
	require.NoError(t, err)
	require.Len(t, rest.People, 7)
	assert.Empty(t, rest.NextCursor, "the last page")

	t.Run("name order, unnamed last", func(t *testing.T) {
		all := append(page.People, rest.People...)
		for i := 1; i < len(all); i++ {
			a, b := all[i-1].Name, all[i].Name
			assert.False(t, a == "" && b != "" || a != "" && b != "" && strings.ToLower(a) > strings.ToLower(b), "at %d: %q then %q", i, a, b)
		}
	})
	t.Run("errors as the API answers them", func(t *testing.T) {
		_, err := c.ListPeople(ctx, wrapper.ListOptions{NextCursor: "garbage!"})
		assert.ErrorIs(t, err, wrapper.ErrValidation, "bad cursor")
		_, err = c.GetPerson(ctx, "nobody")
		assert.ErrorIs(t, err, wrapper.ErrNotFound)
		assert.ErrorContains(t, err, "Can't find Person with id nobody")
		_, err = c.UpdatePerson(ctx, "nobody", wrapper.PersonUpdate{Name: "x"})
		assert.ErrorIs(t, err, wrapper.ErrNotFound)
		_, err = c.UpdatePerson(ctx, page.People[0].ID, wrapper.PersonUpdate{ThumbnailAssetID: "not-an-asset"})
		assert.ErrorContains(t, err, "No faces detected")
	})
	t.Run("a registered face can become the thumbnail", func(t *testing.T) {
		s2 := peopletest.NewServer(t, peopletest.WithPeople(wrapper.Person{ID: "p1", Name: "Ann"}), peopletest.WithFace("p1", "asset-77"))
		_, err := s2.Client().UpdatePerson(ctx, "p1", wrapper.PersonUpdate{ThumbnailAssetID: "asset-77"})
		require.NoError(t, err)
		p, _ := s2.Person("p1")
		require.NotNil(t, p.Thumbnail)
		assert.Equal(t, "asset-77", p.Thumbnail.AssetID)
	})
	t.Run("any other cloud name is refused", func(t *testing.T) {
		other, err := wrapper.New(wrapper.WithCloudName("other"), wrapper.WithAPIKey(s.APIKey), wrapper.WithAPISecret(s.APISecret), wrapper.WithBaseURL(s.URL))
		require.NoError(t, err)
		_, err = other.ListPeople(ctx, wrapper.ListOptions{})
		assert.ErrorIs(t, err, wrapper.ErrAuthentication)
	})
}
