package wrapper

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/generated"
)

// Checks of what callers pass, made before anything is sent: a call the
// API would refuse costs a round trip and a share of the hourly allowance.

// Validate reports, as an [ErrInvalidInput] error, what ListPeople would
// refuse before sending anything: a job can check its options up front.
func (o ListOptions) Validate() error {
	_, err := o.params()
	return err
}

func (o ListOptions) params() (*generated.ListPeopleParams, error) {
	p := &generated.ListPeopleParams{}
	if o.MaxResults != 0 {
		if o.MaxResults < MinPageSize || o.MaxResults > MaxPageSize {
			return nil, invalidInput("MaxResults %d outside %d..%d (0 means the server default)", o.MaxResults, MinPageSize, MaxPageSize)
		}
		p.MaxResults = &o.MaxResults
	}
	if o.NextCursor != "" {
		p.NextCursor = &o.NextCursor
	}
	if o.NamePrefix != "" {
		p.NamePrefix = &o.NamePrefix
	}
	var err error
	if p.NameStatus, err = enumParam("NameStatus", string(o.NameStatus), generated.NameStatusValues); err != nil {
		return nil, err
	}
	if p.Status, err = enumParam("Status", string(o.Status), generated.PersonStatusValues); err != nil {
		return nil, err
	}
	if p.SortBy, err = enumParam("SortBy", string(o.SortBy), generated.SortByValues); err != nil {
		return nil, err
	}
	if p.Direction, err = enumParam("Direction", string(o.Direction), generated.DirectionValues); err != nil {
		return nil, err
	}
	return p, nil
}

// enumParam checks value against the spec's enum (the generated Valid
// method) and returns it as the generated type; "" means not set. The
// allowed values named in the error come from the spec too.
func enumParam[T interface {
	~string
	Valid() bool
}](field, value string, allowed func() []T) (*T, error) {
	if value == "" {
		return nil, nil
	}
	v := T(value)
	if !v.Valid() {
		return nil, invalidInput("%s %q: want %s", field, value, oneOf(allowed()))
	}
	return &v, nil
}

// oneOf lists values as "a, b or c".
func oneOf[T ~string](values []T) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}

// Validate reports, as an [ErrInvalidInput] error, what UpdatePerson would
// refuse before sending anything: a bulk job can check every change
// before it sends the first.
func (u PersonUpdate) Validate() error {
	if reflect.ValueOf(u).IsZero() {
		return invalidInput("empty update: set Name, Status or ThumbnailAssetID")
	}
	if !utf8.ValidString(u.Name) {
		return invalidInput("Name is not valid UTF-8")
	}
	if !utf8.ValidString(u.ThumbnailAssetID) {
		return invalidInput("ThumbnailAssetID is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(u.Name); n > MaxNameLength {
		return invalidInput("Name is %d characters; the maximum is %d", n, MaxNameLength)
	}
	_, err := enumParam("Status", string(u.Status), generated.PersonStatusValues)
	return err
}

// checkPersonID rejects IDs that would change the request's path: the
// generated client escapes '/', '?' and '#', but "." and ".." are path
// segments of their own that URL resolution would collapse.
func checkPersonID(id string) error {
	switch {
	case id == "":
		return invalidInput("empty person ID")
	case strings.TrimSpace(id) == "":
		return invalidInput("blank person ID")
	case id == "." || id == "..":
		return invalidInput("person ID %q is a path segment, not an ID", id)
	}
	return nil
}
