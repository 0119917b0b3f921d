package main

import (
	"bufio"
	"encoding/json"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// record is a person as the API spells it, one a line of an export.
type record struct {
	ID        string       `json:"id"`
	Name      *string      `json:"name"` // null while unnamed, as the API sends it
	Status    string       `json:"status,omitempty"`
	Thumbnail *thumbRecord `json:"thumbnail,omitempty"`
	CreatedAt *time.Time   `json:"created_at,omitempty"`
	UpdatedAt *time.Time   `json:"updated_at,omitempty"`
}

type thumbRecord struct {
	AssetID      string `json:"asset_id,omitempty"`
	BoundingBox  []int  `json:"bounding_box,omitempty"`
	URL          string `json:"url,omitempty"`
	ResourceType string `json:"resource_type,omitempty"`
	Type         string `json:"type,omitempty"`
	PublicID     string `json:"public_id,omitempty"`
	Version      int64  `json:"version,omitempty"`
}

func toRecord(p wrapper.Person) record {
	r := record{ID: p.ID, Status: string(p.Status)}
	if p.Name != "" {
		r.Name = &p.Name
	}
	if !p.CreatedAt.IsZero() {
		r.CreatedAt = &p.CreatedAt
	}
	if !p.UpdatedAt.IsZero() {
		r.UpdatedAt = &p.UpdatedAt
	}
	if t := p.Thumbnail; t != nil {
		r.Thumbnail = &thumbRecord{AssetID: t.AssetID, URL: t.URL, ResourceType: t.ResourceType, Type: t.Type, PublicID: t.PublicID, Version: t.Version}
		if b := t.BoundingBox; b != nil {
			r.Thumbnail.BoundingBox = []int{b.X, b.Y, b.Width, b.Height}
		}
	}
	return r
}

// writePeople writes one JSON line a person and returns the bytes written.
func writePeople(w *bufio.Writer, people []wrapper.Person) (int64, error) {
	var n int64
	for _, p := range people {
		line, err := json.Marshal(toRecord(p))
		if err != nil {
			return n, err
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return n, err
		}
		n += int64(len(line))
	}
	return n, nil
}
