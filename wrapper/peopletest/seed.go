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

// synthetic is the i-th generated person.
func synthetic(i int) generated.PersonDetails {
	seed := "synthetic-" + strconv.Itoa(i)
	created := epoch.Add(time.Duration(i) * time.Minute)
	p := generated.PersonDetails{ID: personID(seed), Status: generated.PersonStatusActive, CreatedAt: created, UpdatedAt: created}
	if i%10 == 9 {
		p.Status = generated.PersonStatusHidden
	}
	if i%4 != 3 {
		name := fmt.Sprintf("Person %06d", i)
		p.Name = &name
	}
	p.Thumbnail = thumbnailFor(assetID(seed), created)
	p.Thumbnail.BoundingBox = []int{i % 1000, i % 700, 96, 112}
	return p
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
