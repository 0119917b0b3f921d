package wrapper

import (
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated"
)

// Status says whether a person shows in searches. The server may send values
// this version does not know; they are kept as they are.
type Status string

const (
	StatusActive Status = "active"
	StatusHidden Status = "hidden"
)

// NameStatus filters people by whether they have a name.
type NameStatus string

const (
	NameStatusAll     NameStatus = "all"
	NameStatusNamed   NameStatus = "named"
	NameStatusUnnamed NameStatus = "unnamed"
)

// SortBy is the field people are listed by.
type SortBy string

const (
	SortByName      SortBy = "name"
	SortByCreatedAt SortBy = "created_at"
	SortByUpdatedAt SortBy = "updated_at"
)

// Direction is the sort direction.
type Direction string

const (
	DirectionAsc  Direction = "asc"
	DirectionDesc Direction = "desc"
)

// ListOptions filters and pages [Client.ListPeople] and [Client.AllPeople]. The zero value
// lists everything with the server's defaults; only the fields you set are
// sent.
type ListOptions struct {
	MaxResults int        // 0: ServerPageSize, the server's default; else MinPageSize..MaxPageSize
	NextCursor string     // from the previous PeoplePage
	NameStatus NameStatus // "": not sent
	NamePrefix string     // case-insensitive name prefix
	Status     Status
	SortBy     SortBy
	Direction  Direction
}

// PeoplePage is one page of [Client.ListPeople].
type PeoplePage struct {
	People     []Person
	NextCursor string // "" on the last page
	RateLimit  RateLimit
}

// Person is a face-recognition person.
type Person struct {
	ID        string
	Name      string // "" while unnamed
	Status    Status
	Thumbnail *Thumbnail // nil when absent
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Thumbnail is the face chosen to show a person.
type Thumbnail struct {
	AssetID      string
	BoundingBox  *BoundingBox // nil unless the server sent exactly four numbers
	URL          string
	ResourceType string
	Type         string
	PublicID     string
	Version      int64
}

// BoundingBox locates the face in the thumbnail's asset, in pixels.
type BoundingBox struct{ X, Y, Width, Height int }

// PersonUpdate says what UpdatePerson changes. Empty fields stay unchanged
// and are not sent; at least one must be set.
type PersonUpdate struct {
	Name             string // "": unchanged; at most 255 characters
	Status           Status // "": unchanged
	ThumbnailAssetID string // "": unchanged; an asset showing this person's face
}

// UpdatedPerson is what UpdatePerson answers.
type UpdatedPerson struct {
	ID     string // the API's person_id
	Name   string
	Status Status
}

// Permissions says, for each person ID, which actions are allowed.
type Permissions map[string]map[string]bool

// Allowed reports whether action is allowed on personID. Anything the
// server did not answer about is not allowed.
func (p Permissions) Allowed(personID, action string) bool {
	return p[personID][action]
}

// RateLimit is the hourly allowance the server reported with an answer.
// Zero values mean the server did not send the header; [RateLimit.Known]
// tells a reported allowance from none.
type RateLimit struct {
	Limit, Remaining int
	Reset            time.Time
}

// Known reports whether the server sent rate-limit headers. An answer
// without them (a proxy's HTML error page, say) has a zero RateLimit, which
// must not be read as "0 calls left".
func (r RateLimit) Known() bool {
	return r.Limit != 0 || r.Remaining != 0 || !r.Reset.IsZero()
}

// PersonFromDetails converts the generated wire type, for callers of
// [Client.Generated] who want the wrapper's [Person].
func PersonFromDetails(p *generated.PersonDetails) Person {
	out := Person{
		ID:        p.ID,
		Status:    Status(p.Status),
		CreatedAt: p.CreatedAt,
		UpdatedAt: p.UpdatedAt,
	}
	if p.Name != nil {
		out.Name = *p.Name
	}
	if t := &p.Thumbnail; !thumbnailIsEmpty(t) {
		// One allocation for the thumbnail and its box, not two: a page of
		// 100 people saves 100.
		both := &struct {
			t Thumbnail
			b BoundingBox
		}{t: Thumbnail{
			AssetID:      t.AssetID,
			URL:          t.URL,
			ResourceType: t.ResourceType,
			Type:         t.Type,
			PublicID:     t.PublicID,
			Version:      t.Version,
		}}
		if b := t.BoundingBox; len(b) == 4 {
			both.b = BoundingBox{X: b[0], Y: b[1], Width: b[2], Height: b[3]}
			both.t.BoundingBox = &both.b
		}
		out.Thumbnail = &both.t
	}
	return out
}

// The generated type holds the thumbnail by value (fewer allocations per
// person), so "absent" is the zero value.
func thumbnailIsEmpty(t *generated.Thumbnail) bool {
	return t.AssetID == "" && t.URL == "" && t.PublicID == "" && t.ResourceType == "" &&
		t.Type == "" && t.Version == 0 && len(t.BoundingBox) == 0
}
