package wrapper

import (
	"encoding/json"
	"errors"
)

// BoundingBox locates the face in the thumbnail's asset, in pixels. On the
// wire it is an array of four integers: x, y, width, height.
type BoundingBox struct{ X, Y, Width, Height int }

// boundingBoxFrom is the box of four numbers, or nil for any other count:
// a box that does not say where the face is says nothing.
func boundingBoxFrom(v []int) *BoundingBox {
	if len(v) != 4 {
		return nil
	}
	return &BoundingBox{X: v[0], Y: v[1], Width: v[2], Height: v[3]}
}

// MarshalJSON writes the box as the API does, [x, y, width, height].
func (b BoundingBox) MarshalJSON() ([]byte, error) {
	return json.Marshal([4]int{b.X, b.Y, b.Width, b.Height})
}

// UnmarshalJSON reads [x, y, width, height].
func (b *BoundingBox) UnmarshalJSON(data []byte) error {
	var v []int
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	box := boundingBoxFrom(v)
	if box == nil {
		return errors.New("a bounding box is four integers")
	}
	*b = *box
	return nil
}
