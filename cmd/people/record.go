package main

import (
	"bufio"
	"encoding/json"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// writePeople writes one JSON line a person, as the API spells it (a
// Person marshals with the API's names, properties openapi.yaml does not
// declare included, and null for an unnamed person's name), and returns
// the bytes written.
func writePeople(w *bufio.Writer, people []wrapper.Person) (int64, error) {
	var n int64
	for _, p := range people {
		line, err := json.Marshal(p)
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
