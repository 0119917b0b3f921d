package fakestore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

var epoch = time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)

// thumbnailCloud is the cloud the fake's thumbnail URLs name: the fake
// server's default one.
const thumbnailCloud = "demo-cloud"

// DefaultPeople is the cast a fake server starts with: named and unnamed
// people, a hidden one, thumbnails with and without bounding boxes.
func DefaultPeople() []generated.PersonDetails {
	cast := []struct {
		name   string
		status generated.PersonStatus
		thumb  bool
	}{
		{"Ada Lovelace", generated.PersonStatusActive, true},
		{"Alan Turing", generated.PersonStatusActive, true},
		{"Grace Hopper", generated.PersonStatusActive, true},
		{"Katherine Johnson", generated.PersonStatusActive, true},
		{"Edsger Dijkstra", generated.PersonStatusHidden, true},
		{"Barbara Liskov", generated.PersonStatusActive, true},
		{"Donald Knuth", generated.PersonStatusActive, false},
		{"Margaret Hamilton", generated.PersonStatusActive, true},
		{"", generated.PersonStatusActive, true},
		{"", generated.PersonStatusActive, true},
		{"", generated.PersonStatusHidden, false},
		{"Frances Allen", generated.PersonStatusActive, true},
	}
	// A status value openapi.yaml gains has a person too, so that every
	// case derived from the spec finds one.
	for _, st := range generated.PersonStatusValues() {
		if !slices.ContainsFunc(cast, func(c struct {
			name   string
			status generated.PersonStatus
			thumb  bool
		}) bool {
			return c.status == st
		}) {
			cast = append(cast, struct {
				name   string
				status generated.PersonStatus
				thumb  bool
			}{"Status " + string(st), st, true})
		}
	}
	out := make([]generated.PersonDetails, 0, len(cast))
	for i, c := range cast {
		seed := c.name
		if seed == "" {
			seed = "unnamed-" + strconv.Itoa(i)
		}
		created := epoch.Add(time.Duration(i) * 26 * time.Hour)
		p := generated.PersonDetails{
			ID:        personID(seed),
			Status:    c.status,
			CreatedAt: created,
			UpdatedAt: created.Add(time.Duration(len(cast)-i) * 7 * time.Hour),
		}
		if c.name != "" {
			name := c.name
			p.Name = &name
		}
		if c.thumb {
			p.Thumbnail = thumbnailFor(assetID(seed), created)
			p.Thumbnail.BoundingBox = []int{120 + 10*i, 80 + 5*i, 96, 112}
		}
		out = append(out, p)
	}
	return out
}

// synthetic is the i-th generated person. Generated people are made on
// demand from their number, so a fake of a million people keeps only what
// its indexes need.
func synthetic(i int) generated.PersonDetails {
	created := syntheticCreated(i)
	p := generated.PersonDetails{ID: syntheticID(i), Status: syntheticStatus(i), CreatedAt: created, UpdatedAt: created}
	if name, ok := syntheticName(i); ok {
		p.Name = &name
	}
	p.Thumbnail = thumbnailFor(syntheticAsset(i), created)
	p.Thumbnail.BoundingBox = []int{i % 1000, i % 700, 96, 112}
	return p
}

func syntheticID(i int) string { return personID("synthetic-" + strconv.Itoa(i)) }

func syntheticCreated(i int) time.Time { return epoch.Add(time.Duration(i) * time.Minute) }

// syntheticName: about one in four generated people is unnamed.
func syntheticName(i int) (string, bool) {
	if i%4 == 3 {
		return "", false
	}
	return fmt.Sprintf("Person %06d", i), true
}

// syntheticStatus: about one in ten generated people is hidden.
func syntheticStatus(i int) generated.PersonStatus {
	if i%10 == 9 {
		return generated.PersonStatusHidden
	}
	return generated.PersonStatusActive
}

// syntheticAsset is the i-th generated person's thumbnail asset: 32 hex
// characters like the API's, whose last 8 are i, so that the owner of an
// asset is found without a map of a million entries.
func syntheticAsset(i int) string {
	return assetID("synthetic-" + strconv.Itoa(i))[:24] + fmt.Sprintf("%08x", uint32(i))
}

// syntheticOwner is the number of the generated person asset shows, if
// it is one of theirs.
func syntheticOwner(asset string, n int) (int, bool) {
	if len(asset) != 32 {
		return 0, false
	}
	i, err := strconv.ParseUint(asset[24:], 16, 32)
	if err != nil || int(i) >= n || syntheticAsset(int(i)) != asset {
		return 0, false
	}
	return int(i), true
}

func thumbnailFor(asset string, at time.Time) generated.Thumbnail {
	version := at.Unix()
	publicID := "people/" + asset[:min(12, len(asset))]
	return generated.Thumbnail{
		AssetID:      asset,
		URL:          fmt.Sprintf("https://res.cloudinary.com/%s/image/upload/v%d/%s.jpg", thumbnailCloud, version, publicID),
		ResourceType: "image",
		Type:         "upload",
		PublicID:     publicID,
		Version:      version,
	}
}

// Details turns the i-th person a user seeded into the API's shape,
// filling in what they left out: an ID, the status, the dates.
func Details(p wrapper.Person, i int) generated.PersonDetails {
	// Through the API's JSON, which both types speak: a property added to
	// openapi.yaml reaches the fake with no line here.
	var d generated.PersonDetails
	if data, err := json.Marshal(p); err == nil {
		_ = json.Unmarshal(data, &d)
	}
	if d.ID == "" {
		d.ID = personID("seeded-" + strconv.Itoa(i) + "-" + p.Name)
	}
	if d.Status == "" {
		d.Status = generated.PersonStatusActive
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = epoch.Add(time.Duration(i) * time.Hour)
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	return d
}

// Seed is a store's starting data: people in the API's shape, or a number
// of generated ones (made on demand from their number, so that a million
// cost only what the indexes hold). With neither, the store starts with
// [DefaultPeople].
type Seed struct {
	People    []generated.PersonDetails
	Generated int
}

func (s Seed) len() int { return len(s.People) + s.Generated }

// person is the i-th person as seeded.
func (s Seed) person(i int) generated.PersonDetails {
	if s.Generated > 0 {
		return synthetic(i)
	}
	return s.People[i]
}

func (s Seed) id(i int) string {
	if s.Generated > 0 {
		return syntheticID(i)
	}
	return s.People[i].ID
}

// rec is the i-th person's sort and filter fields, as seeded.
func (s Seed) rec(i int) rec {
	if s.Generated > 0 {
		name, named := syntheticName(i)
		created := stampOf(syntheticCreated(i))
		r := rec{name: name, hasName: named, status: statusCode(syntheticStatus(i)), pre: idPrefix(syntheticID(i))}
		r.setCreated(created)
		r.setUpdated(created)
		return r
	}
	p := &s.People[i]
	r := rec{status: statusCode(p.Status), pre: idPrefix(p.ID)}
	r.setCreated(stampOf(p.CreatedAt))
	r.setUpdated(stampOf(p.UpdatedAt))
	if p.Name != nil {
		r.name, r.hasName = *p.Name, true
	}
	return r
}

// personID makes a stable 64-hex-character ID, like the API's.
func personID(seed string) string {
	sum := sha256.Sum256([]byte("person:" + seed))
	return hex.EncodeToString(sum[:])
}

func assetID(seed string) string {
	sum := sha256.Sum256([]byte("asset:" + seed))
	return hex.EncodeToString(sum[:16])
}
