package wrapper

import "time"

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
