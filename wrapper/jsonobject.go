package wrapper

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// The generated models' JSON helpers: writing an object member by member,
// and finding the members of an object the model does not declare
// without decoding it again.

// jsonObject builds one JSON object.
type jsonObject struct {
	buf bytes.Buffer
	err error
}

// add writes one member; a nil v is written as null.
func (o *jsonObject) add(key string, v any) {
	if o.err != nil {
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		o.err = err
		return
	}
	o.member(key, data)
}

func (o *jsonObject) member(key string, raw []byte) {
	if o.buf.Len() == 0 {
		o.buf.WriteByte('{')
	} else {
		o.buf.WriteByte(',')
	}
	o.buf.WriteString(strconv.Quote(key))
	o.buf.WriteByte(':')
	o.buf.Write(raw)
}

// end adds the undeclared members, in name order, and closes the object.
func (o *jsonObject) end(undeclared map[string]json.RawMessage) ([]byte, error) {
	for _, k := range slices.Sorted(maps.Keys(undeclared)) {
		if len(undeclared[k]) > 0 {
			o.member(k, undeclared[k])
		}
	}
	if o.err != nil {
		return nil, o.err
	}
	if o.buf.Len() == 0 {
		return []byte("{}"), nil
	}
	o.buf.WriteByte('}')
	return o.buf.Bytes(), nil
}

// keepMember adds one undeclared member to m, copied: data belongs to a
// response body the caller does not keep.
func keepMember(m map[string]json.RawMessage, key, value []byte) map[string]json.RawMessage {
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	name := string(key)
	if bytes.IndexByte(key, '\\') >= 0 {
		// An escaped name, rare: the decoder's own reading of it.
		var s string
		if json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &s) == nil {
			name = s
		}
	}
	m[name] = json.RawMessage(bytes.Clone(value))
	return m
}
