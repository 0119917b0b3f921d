package peopletest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
)

// defaultMessages are the messages the API (or a proxy in front of it)
// answers each error status with.
var defaultMessages = map[int]string{
	http.StatusBadRequest:          "Invalid request",
	http.StatusUnauthorized:        "Invalid credentials",
	http.StatusForbidden:           "People Search is not enabled for this customer",
	http.StatusNotFound:            "Not found",
	http.StatusConflict:            "Already exists",
	apirules.StatusEnhanceYourCalm: "Rate Limit Exceeded",
	http.StatusTooManyRequests:     "Rate Limit Exceeded",
	http.StatusInternalServerError: "General Error",
	http.StatusBadGateway:          "Bad Gateway",
	http.StatusServiceUnavailable:  "Service Unavailable",
	http.StatusGatewayTimeout:      "Gateway Timeout",
}

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
