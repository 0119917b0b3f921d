package peopletest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestCloudinaryURLConfiguresAClient(t *testing.T) {
	ctx := t.Context()
	s := peopletest.NewServer(t, peopletest.WithCredentials("my-cloud", "key", "p@ss/w:rd"))
	t.Setenv("CLOUDINARY_URL", s.CloudinaryURL())
	c, err := wrapper.New()
	require.NoError(t, err)
	_, err = c.ListPeople(ctx, wrapper.ListOptions{})
	assert.NoError(t, err)
}
