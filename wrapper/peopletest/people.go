package peopletest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/internal/fakestore"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// ReadPeople reads a JSON array of people in the API's own shape (the
// "people" of a listPeople answer), for [WithPeople]; a whole listPeople
// answer ({"people": [...]}) is read too. Each person needs an id, once.
func ReadPeople(r io.Reader) ([]wrapper.Person, error) {
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("peopletest: people: %w", err)
	}
	var raw []wrapper.Person
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		var page struct {
			People []wrapper.Person `json:"people"`
		}
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
		out = append(out, raw[i])
	}
	if len(out) == 0 {
		return nil, errors.New("peopletest: people: the array is empty")
	}
	return out, nil
}

// seedFrom is the starting data the options ask for: people given or read
// from a file, or a number of generated ones; with neither, the store's
// default cast.
func seedFrom(c *config) fakestore.Seed {
	switch {
	case len(c.people) > 0:
		out := make([]generated.PersonDetails, len(c.people))
		for i, p := range c.people {
			out[i] = fakestore.Details(p, i)
		}
		return fakestore.Seed{People: out}
	case c.generate > 0:
		return fakestore.Seed{Generated: c.generate}
	}
	return fakestore.Seed{}
}

// person is the fake's record as a client reads it, through the API's
// JSON: a property added to openapi.yaml needs no line here.
func person(d generated.PersonDetails) wrapper.Person {
	var p wrapper.Person
	if data, err := json.Marshal(d); err == nil {
		_ = json.Unmarshal(data, &p)
	}
	return p
}
