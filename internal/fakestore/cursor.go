package fakestore

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/generated"
)

// query is what a walk lists: its filters and its order, normalised so
// that a parameter left out and its default compare equal.
type query struct {
	NameStatus string `json:"ns"`
	NamePrefix string `json:"np,omitempty"` // lower-cased: matching ignores case
	Status     string `json:"st,omitempty"`
	SortBy     string `json:"sb"`
	Direction  string `json:"d"`
}

func queryOf(p generated.ListPeopleParams) query {
	q := query{NameStatus: string(generated.NameStatusAll), SortBy: string(generated.SortByName), Direction: string(generated.DirectionAsc)}
	if p.NameStatus != nil {
		q.NameStatus = string(*p.NameStatus)
	}
	if p.NamePrefix != nil {
		q.NamePrefix = strings.ToLower(*p.NamePrefix)
	}
	if p.Status != nil {
		q.Status = string(*p.Status)
	}
	if p.SortBy != nil {
		q.SortBy = string(*p.SortBy)
	}
	if p.Direction != nil {
		q.Direction = string(*p.Direction)
	}
	return q
}

func (q query) desc() bool { return q.Direction == string(generated.DirectionDesc) }

// conflict names the first parameter p sends with a value other than the
// walk's, or "" when p agrees with it (or sends none).
func (q query) conflict(p generated.ListPeopleParams) string {
	sent := queryOf(p)
	for _, c := range []struct {
		name      string
		given     bool
		walk, now string
	}{
		{"name_status", p.NameStatus != nil, q.NameStatus, sent.NameStatus},
		{"name_prefix", p.NamePrefix != nil, q.NamePrefix, sent.NamePrefix},
		{"status", p.Status != nil, q.Status, sent.Status},
		{"sort_by", p.SortBy != nil, q.SortBy, sent.SortBy},
		{"direction", p.Direction != nil, q.Direction, sent.Direction},
	} {
		if c.given && c.walk != c.now {
			return fmt.Sprintf("next_cursor continues a walk with %s=%q, but this call sends %s=%q: send the cursor alone, or with the filters and order it was issued for",
				c.name, c.walk, c.name, c.now)
		}
	}
	return ""
}

// cursor is where a walk stands: its query, and the sort key and ID of the
// last person it returned.
type cursor struct {
	Q     query  `json:"q"`
	Named bool   `json:"n,omitempty"`
	Name  string `json:"s,omitempty"`
	Time  stamp  `json:"ts"`
	ID    string `json:"id"`
}

// Cursors are opaque to clients: base64 of JSON.
func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor and checks its query as the same parameters
// would be checked: a cursor whose filters or order were tampered with
// into values the API does not know is as invalid as the parameters.
func decodeCursor(s string) (cursor, bool) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID == "" {
		return cursor{}, false
	}
	q := c.Q
	valid := generated.NameStatus(q.NameStatus).Valid() && generated.SortBy(q.SortBy).Valid() &&
		generated.Direction(q.Direction).Valid() && (q.Status == "" || generated.PersonStatus(q.Status).Valid()) &&
		q.NamePrefix == strings.ToLower(q.NamePrefix) && c.Time.Ns >= 0 && c.Time.Ns < 1e9
	if !valid {
		return cursor{}, false
	}
	return c, true
}
