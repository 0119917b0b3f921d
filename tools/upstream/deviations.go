package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Deviation is a known difference, with the reason openapi.yaml keeps it.
type Deviation struct {
	ID string `yaml:"id"`
	// Operation is "METHOD /path"; empty matches every place.
	Operation string `yaml:"operation"`
	// Text is a regular expression the finding's text must match; empty
	// matches any.
	Text   string `yaml:"text"`
	Reason string `yaml:"reason"`
	text   *regexp.Regexp
}

func (d *Deviation) matches(f Finding) bool {
	if d.ID != f.ID {
		return false
	}
	if d.Operation != "" && d.Operation != f.Operation+" "+f.Path {
		return false
	}
	return d.text == nil || d.text.MatchString(f.Text)
}

func (d *Deviation) String() string {
	s := d.ID
	if d.Operation != "" {
		s += " at " + d.Operation
	}
	if d.Text != "" {
		s += " matching /" + d.Text + "/"
	}
	return s
}

func readDeviations(path string) ([]*Deviation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Deviations []*Deviation `yaml:"deviations"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, d := range file.Deviations {
		if d.ID == "" || strings.TrimSpace(d.Reason) == "" {
			return nil, fmt.Errorf("%s: deviation %d needs an id and a reason", path, i+1)
		}
		if d.Text != "" {
			if d.text, err = regexp.Compile(d.Text); err != nil {
				return nil, fmt.Errorf("%s: deviation %d (%s): %w", path, i+1, d.ID, err)
			}
		}
	}
	return file.Deviations, nil
}
