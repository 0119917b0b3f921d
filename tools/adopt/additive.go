package main

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// docKeys are the keys whose text may change without changing the API.
var docKeys = []string{"description", "summary", "title", "example", "examples"}

// notAdditive names the first change from old to new that is not an
// addition a client can ignore: a removal, a changed value, a new
// requirement (a name added to a schema's required list, a required
// parameter). "" means every change adds.
func notAdditive(old, new *yaml.Node, at string) string {
	old, new = resolve(old), resolve(new)
	if old.Kind != new.Kind {
		return "changes " + at
	}
	switch old.Kind {
	case yaml.ScalarNode:
		if old.Value != new.Value {
			return fmt.Sprintf("changes %s from %q to %q", at, old.Value, new.Value)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(old.Content); i += 2 {
			key := old.Content[i].Value
			next := lookup(new, key)
			switch {
			case next == nil:
				return "removes " + at + "/" + key
			case slices.Contains(docKeys, key):
				continue
			}
			if why := notAdditive(old.Content[i+1], next, at+"/"+key); why != "" {
				return why
			}
		}
		if lookup(old, "required") == nil && lookup(new, "required") != nil && lookup(new, "required").Kind == yaml.SequenceNode {
			return "makes properties of " + at + " required"
		}
	case yaml.SequenceNode:
		return sequenceChange(old, new, at)
	}
	return ""
}

// sequenceChange: lists of names (enum, required) may only grow, and
// required may not grow at all; parameters may gain optional ones; other
// lists keep their elements in place.
func sequenceChange(old, new *yaml.Node, at string) string {
	if strings.HasSuffix(at, "/parameters") {
		return parametersChange(old, new, at)
	}
	if len(new.Content) < len(old.Content) {
		return "removes elements of " + at
	}
	if strings.HasSuffix(at, "/required") && len(new.Content) > len(old.Content) {
		return "makes more properties required at " + at
	}
	for i, o := range old.Content {
		if why := notAdditive(o, new.Content[i], fmt.Sprintf("%s/%d", at, i)); why != "" {
			return why
		}
	}
	return ""
}

func parametersChange(old, new *yaml.Node, at string) string {
	key := func(p *yaml.Node) string {
		p = resolve(p)
		if ref := lookup(p, "$ref"); ref != nil {
			return ref.Value
		}
		return value(lookup(p, "in")) + " " + value(lookup(p, "name"))
	}
	byKey := map[string]*yaml.Node{}
	for _, p := range new.Content {
		byKey[key(p)] = p
	}
	for _, p := range old.Content {
		n, ok := byKey[key(p)]
		if !ok {
			return "removes the parameter " + key(p) + " of " + at
		}
		if why := notAdditive(p, n, at+"/"+key(p)); why != "" {
			return why
		}
		delete(byKey, key(p))
	}
	for k, p := range byKey {
		if value(lookup(resolve(p), "required")) == "true" {
			return "adds the required parameter " + k + " to " + at
		}
	}
	return ""
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && (n.Kind == yaml.AliasNode || n.Kind == yaml.DocumentNode) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) > 0 {
			n = n.Content[0]
		} else {
			break
		}
	}
	return n
}

func lookup(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
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
	return resolve(n).Value
}
