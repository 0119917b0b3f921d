package fakestore

import (
	"context"
	"net/http"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/generated/server"
	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// messages are what the API (or a proxy in front of it) answers each
// error status with.
var messages = map[int]string{
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

// Message is the API's message for an error status, "" for one it has
// none for.
func Message(status int) string { return messages[status] }

// Error is the API's JSON error body.
func Error(msg string) generated.APIError {
	var e generated.APIError
	e.Error.Message = msg
	return e
}

type headersKey struct{}

// WithHeaders gives the store the rate-limit headers to answer the call of
// ctx with: the server counts the allowance before the store sees a call.
func WithHeaders(ctx context.Context, h server.ListPeople200ResponseHeaders) context.Context {
	return context.WithValue(ctx, headersKey{}, h)
}

// Headers are the rate-limit headers [WithHeaders] gave the call of ctx.
func Headers(ctx context.Context) server.ListPeople200ResponseHeaders {
	h, _ := ctx.Value(headersKey{}).(server.ListPeople200ResponseHeaders)
	return h
}
