package peopletest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
)

// writeAPIError answers status in the API's JSON error shape, with the
// headers given (rate-limit headers, Retry-After).
func writeAPIError(w http.ResponseWriter, status int, msg string, header http.Header) {
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(fakestore.Error(msg))
}

// rateLimitHeaders are the X-FeatureRateLimit-* headers every answer of
// the API carries.
func rateLimitHeaders(h server.ListPeople200ResponseHeaders) http.Header {
	return http.Header{
		"X-Featureratelimit-Limit":     {strconv.Itoa(h.XFeatureRateLimitLimit)},
		"X-Featureratelimit-Remaining": {strconv.Itoa(h.XFeatureRateLimitRemaining)},
		"X-Featureratelimit-Reset":     {h.XFeatureRateLimitReset},
	}
}
