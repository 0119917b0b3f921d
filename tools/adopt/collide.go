package main

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// goName is the part of a property's Go field name the generator takes
// from its letters and digits: names that differ only in case and
// punctuation (face_count, faceCount, face-count) become one field.
func goName(property string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, property)
}

// collisions names the properties of any one schema in the document that
// would become the same Go field.
func collisions(root *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node, at string)
	walk = func(n *yaml.Node, at string) {
		n = resolve(n)
		if n == nil {
			return
		}
		if props := lookup(n, "properties"); props != nil && resolve(props).Kind == yaml.MappingNode {
			groups := map[string][]string{}
			p := resolve(props)
			for i := 0; i+1 < len(p.Content); i += 2 {
				name := p.Content[i].Value
				groups[goName(name)] = append(groups[goName(name)], name)
			}
			for _, names := range groups {
				if len(names) > 1 {
					slices.Sort(names)
					out = append(out, fmt.Sprintf("%s: %s would be one Go field", at, strings.Join(names, ", ")))
				}
			}
		}
		for i, c := range n.Content {
			sub := at
			if n.Kind == yaml.MappingNode && i%2 == 1 {
				sub = at + "/" + n.Content[i-1].Value
			}
			walk(c, sub)
		}
	}
	walk(root, "")
	slices.Sort(out)
	return out
}
