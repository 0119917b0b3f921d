package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// localOnly writes, to a file in dir, the published document with every
// remote $ref replaced by an empty schema that names it, and returns that
// file and the references it replaced. oasdiff reads that copy: a
// document must not make the loop fetch from the network (a $ref to
// another host, or to a file beside it).
func localOnly(path, dir string) (string, []string, error) {
	root, err := readNode(path)
	if err != nil {
		return "", nil, err
	}
	seen := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			if ref := get(n, "$ref"); ref != nil && !strings.HasPrefix(ref.Value, "#") {
				seen[ref.Value] = true
				n.Content = []*yaml.Node{scalar("description"), scalar("remote reference " + ref.Value + ", not followed")}
				return
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	out, err := yaml.Marshal(root)
	if err != nil {
		return "", nil, err
	}
	local := filepath.Join(dir, "published-local"+filepath.Ext(path))
	if err := os.WriteFile(local, out, 0o644); err != nil {
		return "", nil, err
	}
	refs := make([]string, 0, len(seen))
	for r := range seen {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	return local, refs, nil
}

// checkOverlay proves an overlay about to be written parses on its own
// and refers to nothing openapi.yaml lacks.
func checkOverlay(data []byte, ours *yaml.Node) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("the overlay would not parse: %w", err)
	}
	var bad []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			bad = append(bad, "a YAML alias or anchor")
		}
		if ref := get(n, "$ref"); ref != nil {
			if target, _ := deref(ours, n, ""); !strings.HasPrefix(ref.Value, "#/") || target == n {
				bad = append(bad, fmt.Sprintf("$ref %q, which openapi.yaml does not have", ref.Value))
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(get(doc.Content[0], "actions"))
	if len(bad) > 0 {
		return fmt.Errorf("the overlay would hold %s", strings.Join(bad, ", "))
	}
	return nil
}
