package peopletest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

var epoch = time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)

// defaultPeople is the cast a fake server starts with: named and unnamed
// people, a hidden one, thumbnails with and without bounding boxes.
func defaultPeople() []generated.PersonDetails {
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
		URL:          fmt.Sprintf("https://res.cloudinary.com/%s/image/upload/v%d/%s.jpg", DefaultCloudName, version, publicID),
		ResourceType: "image",
		Type:         "upload",
		PublicID:     publicID,
		Version:      version,
	}
}

// details turns a seeded wrapper.Person into the wire form.
func details(p wrapper.Person, i int) generated.PersonDetails {
	d := generated.PersonDetails{ID: p.ID, Status: generated.PersonStatus(p.Status), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
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
	if p.Name != "" {
		name := p.Name
		d.Name = &name
	}
	if t := p.Thumbnail; t != nil {
		d.Thumbnail = generated.Thumbnail{
			AssetID: t.AssetID, URL: t.URL, ResourceType: t.ResourceType, Type: t.Type, PublicID: t.PublicID, Version: t.Version,
		}
		if b := t.BoundingBox; b != nil {
			d.Thumbnail.BoundingBox = []int{b.X, b.Y, b.Width, b.Height}
		}
	}
	return d
}

// ReadPeople reads a JSON array of people in the API's own shape (the
// "people" of a listPeople answer), for [WithPeople]; a whole listPeople
// answer ({"people": [...]}) is read too. Each person needs an id, once.
func ReadPeople(r io.Reader) ([]wrapper.Person, error) {
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("peopletest: people: %w", err)
	}
	var raw []generated.PersonDetails
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		var page generated.PeoplePage
		err = json.Unmarshal(trimmed, &page)
		raw = page.People
	} else {
		err = json.Unmarshal(trimmed, &raw)
	}
	if err != nil {
		return nil, fmt.Errorf("peopletest: people: want a JSON array of people as the API answers them: %w", err)
	}
	seen := make(map[string]bool, len(raw))
	out := make([]wrapper.Person, 0, len(raw))
	for i, p := range raw {
		switch {
		case p.ID == "":
			return nil, fmt.Errorf("peopletest: people: person %d has no id", i)
		case seen[p.ID]:
			return nil, fmt.Errorf("peopletest: people: id %q appears twice", p.ID)
		}
		seen[p.ID] = true
		out = append(out, wrapper.PersonFromDetails(&raw[i]))
	}
	if len(out) == 0 {
		return nil, errors.New("peopletest: people: the array is empty")
	}
	return out, nil
}

// seedSource is the starting data NewServer's options ask for: people
// given or read from a file, or a number of generated ones.
type seedSource struct {
	people    []generated.PersonDetails
	generated int
}

func seedFrom(c *config) seedSource {
	switch {
	case len(c.people) > 0:
		out := make([]generated.PersonDetails, len(c.people))
		for i, p := range c.people {
			out[i] = details(p, i)
		}
		return seedSource{people: out}
	case c.generate > 0:
		return seedSource{generated: c.generate}
	}
	return seedSource{people: defaultPeople()}
}

func (s seedSource) len() int { return len(s.people) + s.generated }

// person is the i-th person as seeded.
func (s seedSource) person(i int) generated.PersonDetails {
	if s.generated > 0 {
		return synthetic(i)
	}
	return s.people[i]
}

func (s seedSource) id(i int) string {
	if s.generated > 0 {
		return syntheticID(i)
	}
	return s.people[i].ID
}

// rec is the i-th person's sort and filter fields, as seeded.
func (s seedSource) rec(i int) rec {
	if s.generated > 0 {
		name, named := syntheticName(i)
		created := stampOf(syntheticCreated(i))
		r := rec{name: name, hasName: named, status: statusCode(syntheticStatus(i)), pre: idPrefix(syntheticID(i))}
		r.setCreated(created)
		r.setUpdated(created)
		return r
	}
	p := &s.people[i]
	r := rec{status: statusCode(p.Status), pre: idPrefix(p.ID)}
	r.setCreated(stampOf(p.CreatedAt))
	r.setUpdated(stampOf(p.UpdatedAt))
	if p.Name != nil {
		r.name, r.hasName = *p.Name, true
	}
	return r
}
