package main

import (
	"fmt"
	"os"
	"strings"

	yaml "github.com/oasdiff/yaml3"
)

// schema is what the generator reads of one schema of openapi.yaml, in
// the document's order.
type schema struct {
	name        string // the component's name; "" for an inline schema
	typ         string
	format      string
	nullable    bool
	description string
	enum        []string
	required    []string
	props       []property
	items       *schema
	ref         string // the component a $ref names
}

type property struct {
	name string
	s    *schema
}

// readSchemas reads components.schemas of the document at path.
func readSchemas(path string) (map[string]*schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	schemas := lookup(lookup(root.Content[0], "components"), "schemas")
	if schemas == nil {
		return nil, fmt.Errorf("%s has no components.schemas", path)
	}
	out := map[string]*schema{}
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		s := readSchema(schemas.Content[i+1])
		s.name = schemas.Content[i].Value
		out[s.name] = s
	}
	return out, nil
}

func readSchema(n *yaml.Node) *schema {
	s := &schema{}
	if ref := lookup(n, "$ref"); ref != nil {
		s.ref = strings.TrimPrefix(ref.Value, "#/components/schemas/")
		return s
	}
	s.typ, s.format = value(lookup(n, "type")), value(lookup(n, "format"))
	s.nullable = value(lookup(n, "nullable")) == "true"
	s.description = strings.TrimSpace(value(lookup(n, "description")))
	for _, v := range seq(lookup(n, "enum")) {
		s.enum = append(s.enum, v.Value)
	}
	for _, v := range seq(lookup(n, "required")) {
		s.required = append(s.required, v.Value)
	}
	if props := lookup(n, "properties"); props != nil {
		for i := 0; i+1 < len(props.Content); i += 2 {
			s.props = append(s.props, property{props.Content[i].Value, readSchema(props.Content[i+1])})
		}
	}
	if items := lookup(n, "items"); items != nil {
		s.items = readSchema(items)
	}
	return s
}

func lookup(n *yaml.Node, key string) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func value(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}
