package contract

import (
	"fmt"
	"io"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// ErrBodyTooLarge is returned by the validating transport for a body over the
// wrapper's caps; it matches wrapper.ErrResponseTooLarge too.
var ErrBodyTooLarge = fmt.Errorf("peopletest: body too large to validate: %w", wrapper.ErrResponseTooLarge)

// BodyLimit is the most the kit reads of an answer with this status, and
// of a request body (as of a 2xx answer): the wrapper's own caps.
func BodyLimit(status int) int64 {
	if status >= 300 {
		return wrapper.MaxErrorBodyBytes
	}
	return wrapper.MaxBodyBytes
}

// ReadCapped reads r to its end or to limit bytes; over reports that more
// came, and data then holds the first limit bytes.
func ReadCapped(r io.Reader, limit int64) (data []byte, over bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, err
	}
	return data, false, err
}
