package peopletest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

func TestAParameterThatDoesNotBindIsAnsweredInTheAPIsWords(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	for _, tt := range []struct{ query, want string }{
		{"max_results=abc", `Invalid max_results value "abc": must be a whole number from 1 to 100`},
		{"max_results=1.5", `Invalid max_results value "1.5": must be a whole number from 1 to 100`},
	} {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people?"+tt.query, "")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			var e struct {
				Error struct{ Message string } `json:"error"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &e))
			assert.Equal(t, tt.want, e.Error.Message)
			assert.NotContains(t, body, "strconv")
			assert.NotContains(t, body, "binding")
		})
	}
}

func TestPreferAnswersTheMediaTypeAcceptAsksFor(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	path := "/v1_1/" + s.CloudName + "/people"
	for _, tt := range []struct{ accept, wantType string }{
		{"text/html", "text/html"},
		{"text/html,application/json;q=0.5", "text/html"},
		{"application/json", "application/json"},
		{"application/json, text/html;q=0.2", "application/json"},
		{"", "application/json"},
	} {
		t.Run("Accept: "+tt.accept, func(t *testing.T) {
			header := []string{"Prefer", "code=503"}
			if tt.accept != "" {
				header = append(header, "Accept", tt.accept)
			}
			resp, body := call(t, s, http.MethodGet, path, "", header...)
			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("Content-Type"), tt.wantType)
			if tt.wantType == "text/html" {
				assert.Contains(t, body, "<html>")
			}
			assert.Empty(t, resp.Header.Values(peopletest.ViolationHeader), "a documented answer")
		})
	}
}

func TestAnEmptyThumbnailIsNamedForWhatItIs(t *testing.T) {
	t.Parallel()
	s := quietServer(t)
	id := s.People()[0].ID
	resp, body := call(t, s, http.MethodPut, "/v1_1/"+s.CloudName+"/people/"+id, `{"thumbnail_asset_id":""}`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, body, "thumbnail_asset_id is empty")
	assert.NotContains(t, body, "Missing required parameter")
}

func TestACallToNoOperationSpendsNoneOfTheHour(t *testing.T) {
	t.Parallel()
	s := quietServer(t, peopletest.WithHourlyLimit(5, 3600e9))
	resp, _ := call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/nothing/here", "")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("X-FeatureRateLimit-Remaining"), "as the proxy answers it")
	resp, _ = call(t, s, http.MethodGet, "/v1_1/"+s.CloudName+"/people", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "4", resp.Header.Get("X-FeatureRateLimit-Remaining"), "the first call of the hour")
}
