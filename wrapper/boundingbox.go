package wrapper

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
)

// BoundingBox locates the face in the thumbnail's asset, in pixels. On the
// wire it is an array of four integers: x, y, width, height.
type BoundingBox struct{ X, Y, Width, Height int }

// boxWire is a bounding box as it travels: the numbers of the array, read
// without allocating (a page of 100 people has 100 of them).
type boxWire struct {
	v [4]int
	n int // how many numbers the array held; -1 for one that is not a whole number
}

// UnmarshalJSON reads an array of integers; null is no box.
func (b *boxWire) UnmarshalJSON(data []byte) error {
	*b = boxWire{}
	switch i := skipSpace(data, 0); {
	case i < len(data) && data[i] == 'n':
		return nil
	case i >= len(data) || data[i] != '[':
		return &json.UnmarshalTypeError{Value: jsonValueKind(data[i:]), Type: reflect.TypeFor[[]int](), Field: "bounding_box"}
	}
	eachElement(data, func(i int, value []byte) {
		n, err := strconv.Atoi(string(value))
		switch {
		case err != nil || b.n < 0:
			b.n = -1
		case i < len(b.v):
			b.v[i] = n
			b.n++
		default:
			b.n++
		}
	})
	return nil
}

// boundingBoxFrom is the box of four whole numbers, or nil for anything
// else: a box that does not say where the face is says nothing.
func boundingBoxFrom(w boxWire) *BoundingBox {
	if w.n != 4 {
		return nil
	}
	return &BoundingBox{X: w.v[0], Y: w.v[1], Width: w.v[2], Height: w.v[3]}
}

// MarshalJSON writes the box as the API does, [x, y, width, height].
func (b BoundingBox) MarshalJSON() ([]byte, error) {
	return json.Marshal([4]int{b.X, b.Y, b.Width, b.Height})
}

// UnmarshalJSON reads [x, y, width, height].
func (b *BoundingBox) UnmarshalJSON(data []byte) error {
	var w boxWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	box := boundingBoxFrom(w)
	if box == nil {
		return errors.New("a bounding box is four integers")
	}
	*b = *box
	return nil
}

// jsonValueKind names the JSON value that starts data, as encoding/json
// names it in an *json.UnmarshalTypeError.
func jsonValueKind(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case 't', 'f':
		return "bool"
	}
	return "number"
}
