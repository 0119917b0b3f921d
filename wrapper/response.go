package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// Limits on what the SDK reads of an answer. A page of 100 people is about
// 60 KB; a body near these sizes is no People API answer, and buffering it
// whole could exhaust memory (a small gzip body can inflate to gigabytes).
// A larger 2xx body is [ErrResponseTooLarge]; a larger error body is cut.
const (
	MaxBodyBytes      = 8 << 20  // the largest 2xx body read, 8 MiB
	MaxErrorBodyBytes = 64 << 10 // the most of an error body kept, 64 KiB
)

// readBody reads and closes the body, within the size limits. Error bodies
// are cut short rather than refused: the status already says what matters.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	limit := int64(MaxBodyBytes)
	if resp.StatusCode >= 300 {
		limit = MaxErrorBodyBytes
	}
	if n := resp.ContentLength; n >= 0 && n <= limit && !resp.Uncompressed {
		// net/http ends a body at its Content-Length, so exactly n bytes
		// come: read them into one buffer of the right size.
		data := make([]byte, n)
		read, err := io.ReadFull(resp.Body, data)
		if err != nil {
			return data[:read], err
		}
		return data, nil
	}
	// Length unknown, or over the limit (then limit+1 bytes show it).
	size := int64(4096)
	if resp.ContentLength > limit {
		size = limit + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return buf.Bytes(), err
	}
	if n > limit {
		if resp.StatusCode < 300 {
			return nil, fail(ErrResponseTooLarge, nil, "more than %d bytes", limit)
		}
		return buf.Bytes()[:limit], nil
	}
	return buf.Bytes(), nil
}

// decode turns a call's outcome into the wrapper's: a non-2xx status
// becomes an *APIError, and a 2xx body is decoded into v. missing then
// names what the operation cannot do without and the body lacked (""
// when it is all there): such a body is ErrMalformedResponse, never a
// zero-value success.
func decode(res *result, err error, v any, missing func(body []byte) string) (RateLimit, error) {
	if err != nil {
		return RateLimit{}, err
	}
	if res.status < 200 || res.status > 299 {
		apiErr := newAPIError(res.status, res.header, res.body, res.rateLimit)
		apiErr.Attempts = res.attempts
		return RateLimit{}, apiErr
	}
	if err := json.Unmarshal(res.body, v); err != nil {
		return res.rateLimit, fail(ErrMalformedResponse, err, "HTTP %d, %s, %d bytes: %s",
			res.status, contentTypeOrNone(res.header), len(res.body), describeDecodeError(err))
	}
	if what := missing(res.body); what != "" {
		return res.rateLimit, fail(ErrMalformedResponse, nil, "HTTP %d, %d bytes: %s", res.status, len(res.body), what)
	}
	return res.rateLimit, nil
}

func contentTypeOrNone(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return apirules.Cut(apirules.Printable(ct), 60)
	}
	return "no Content-Type"
}

// describeDecodeError says why a 2xx body did not decode, in the API's
// terms (JSON locations and kinds) rather than the generated Go types'.
func describeDecodeError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te):
		where := "the body"
		if te.Field != "" {
			where = "\"" + te.Field + "\""
		}
		return fmt.Sprintf("%s is a JSON %s where the spec wants %s", where, te.Value, jsonKind(te.Type))
	case errors.As(err, &se):
		return fmt.Sprintf("not JSON (%s, at byte %d)", se.Error(), se.Offset)
	case errors.As(err, &pe):
		return fmt.Sprintf("%s is not an RFC 3339 date-time", apirules.Cut(apirules.Printable(fmt.Sprintf("%q", pe.Value)), 60))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another value"
}
