package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The additive differences an overlay can carry, by oasdiff's check id,
// and how to read each text: the names it quotes.
var (
	propertyAdded  = regexp.MustCompile("^added the optional property `([^`]+)` to the response with the `(\\d+)` status$")
	enumValueAdded = regexp.MustCompile("^added the new `([^`]+)` enum value to the `([^`]+)` response property for the response status `(\\d+)`$")
	paramAdded     = regexp.MustCompile("^added the new optional `query` request parameter `([^`]+)`$")
	statusAdded    = regexp.MustCompile("^added the (?:non-success|success) response with the status `(\\d+)`$")
)

// overlayAction is one action of an OpenAPI Overlay 1.0.0.
type overlayAction struct {
	Target      string     `yaml:"target"`
	Description string     `yaml:"description,omitempty"`
	Update      *yaml.Node `yaml:"update"`
}

// writeOverlay writes, to path, an Overlay that adds to openapi.yaml the
// additive differences among findings: a new optional property at any
// depth, a new enum value, a new optional query parameter, a new status,
// each copied from the published document with its $refs inlined. Anything
// else (a removal, a new requirement, a type change) could break a client
// and is for a person to decide: it is named in the overlay's description
// and never acted on.
func writeOverlay(path string, findings []Finding, specPath, schemaPath string, version string) error {
	ours, err := readNode(specPath)
	if err != nil {
		return err
	}
	theirs, err := readNode(schemaPath)
	if err != nil {
		return err
	}
	var actions []overlayAction
	var left []string
	done := map[string]bool{}
	enumValues := map[string]bool{} // values the actions add to an enum
	for _, f := range findings {
		if m := enumValueAdded.FindStringSubmatch(f.Text); m != nil {
			enumValues[m[1]] = true
		}
	}
	for _, f := range findings {
		a, ok, why := overlayFor(f, ours, theirs)
		switch {
		case why != "" && sharedEnumValue(f, enumValues):
			// The same value in a request: openapi.yaml shares its enums
			// between answers and requests, so the answer's action adds it.
		case why != "":
			left = append(left, fmt.Sprintf("[%s] %s: %s", f.ID, f.where(), why))
		case ok:
			key := a.Target + "\x00" + nodeString(a.Update)
			if !done[key] {
				done[key] = true
				actions = append(actions, a)
			}
		}
	}
	doc := struct {
		Overlay string `yaml:"overlay"`
		Info    struct {
			Title       string `yaml:"title"`
			Version     string `yaml:"version"`
			Description string `yaml:"description,omitempty"`
		} `yaml:"info"`
		Actions []overlayAction `yaml:"actions"`
	}{Overlay: "1.0.0", Actions: actions}
	doc.Info.Title = "Additions of Cloudinary's published schema " + version
	doc.Info.Version = version
	doc.Info.Description = fmt.Sprintf("%d additions to openapi.yaml; review each, then make adopt OVERLAY=<this file>.", len(actions))
	if len(left) > 0 {
		doc.Info.Description += " Not carried, for a person to decide: " + strings.Join(left, "; ")
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := checkOverlay(out.Bytes(), ours); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// requestEnumValue reads the value of an enum value added on the request
// side ("added the new enum value `x` to the `query` request parameter",
// "added the new `x` enum value to the request property").
var requestEnumValue = regexp.MustCompile("^added the new (?:enum value `([^`]+)`|`([^`]+)` enum value) to the (?:`query` )?request")

// sharedEnumValue: f adds to a request an enum value that an action adds
// to an answer's enum already.
func sharedEnumValue(f Finding, values map[string]bool) bool {
	m := requestEnumValue.FindStringSubmatch(f.Text)
	return m != nil && (values[m[1]] || values[m[2]])
}

// overlayFor is the action that carries f; ok is false for a finding that
// is no addition at all, and why says why an addition cannot be carried.
func overlayFor(f Finding, ours, theirs *yaml.Node) (a overlayAction, ok bool, why string) {
	op := strings.ToLower(f.Operation)
	opPath := fmt.Sprintf("$.paths['%s'].%s", f.Path, op)
	a.Description = fmt.Sprintf("[%s] %s: %s", f.ID, f.where(), f.Text)
	switch {
	case f.ID == "response-optional-property-added" && propertyAdded.MatchString(f.Text):
		m := propertyAdded.FindStringSubmatch(f.Text)
		segs := strings.Split(m[1], "/")
		target, _, err := schemaAt(ours, f.Path, op, m[2], segs[:len(segs)-1])
		if err != nil {
			return a, false, err.Error()
		}
		_, src, err := schemaAt(theirs, f.Path, op, m[2], segs)
		if err != nil {
			return a, false, "the published document: " + err.Error()
		}
		c, why := copyOf(theirs, src)
		if why != "" {
			return a, false, why
		}
		a.Target = target
		a.Update = mapping("properties", mapping(segs[len(segs)-1], c))
		return a, true, ""
	case f.ID == "response-property-enum-value-added" && enumValueAdded.MatchString(f.Text):
		m := enumValueAdded.FindStringSubmatch(f.Text)
		target, _, err := schemaAt(ours, f.Path, op, m[3], strings.Split(m[2], "/"))
		if err != nil {
			return a, false, err.Error()
		}
		a.Target = target + ".enum"
		a.Update = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{scalar(m[1])}}
		return a, true, ""
	case f.ID == "new-optional-request-parameter" && paramAdded.MatchString(f.Text):
		name := paramAdded.FindStringSubmatch(f.Text)[1]
		src := findParam(theirs, f.Path, op, name)
		if src == nil {
			return a, false, "the published document has no such parameter to copy"
		}
		c, why := copyOf(theirs, src)
		if why != "" {
			return a, false, why
		}
		a.Target = opPath + ".parameters"
		a.Update = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{c}}
		return a, true, ""
	case (f.ID == "response-non-success-status-added" || f.ID == "response-success-status-added") && statusAdded.MatchString(f.Text):
		code := statusAdded.FindStringSubmatch(f.Text)[1]
		src := get(theirs.Content[0], "paths", f.Path, op, "responses", code)
		if src == nil {
			return a, false, "the published document has no such status to copy"
		}
		c, why := copyOf(theirs, src)
		if why != "" {
			return a, false, why
		}
		a.Target = opPath + ".responses"
		a.Update = mapping(code, c)
		return a, true, ""
	case strings.Contains(f.ID, "added") && !strings.Contains(f.ID, "required") && !strings.HasPrefix(f.ID, "api-"):
		return a, false, "an addition this overlay does not know how to carry: " + f.Text
	}
	return a, false, ""
}

// schemaAt walks from an operation's JSON answer of status down segs (the
// names oasdiff gives, "people/items/status") and returns the JSONPath of
// the schema it ends at, where a change belongs (a schema behind a $ref is
// addressed in components), and the node.
func schemaAt(root *yaml.Node, path, op, status string, segs []string) (string, *yaml.Node, error) {
	doc := root.Content[0]
	resp := get(doc, "paths", path, op, "responses", status)
	if resp == nil {
		return "", nil, fmt.Errorf("no %s answer of %s %s", status, strings.ToUpper(op), path)
	}
	jp := fmt.Sprintf("$.paths['%s'].%s.responses['%s']", path, op, status)
	resp, jp = deref(root, resp, jp)
	node := get(resp, "content", "application/json", "schema")
	if node == nil {
		return "", nil, fmt.Errorf("no JSON schema in the %s answer of %s %s", status, strings.ToUpper(op), path)
	}
	jp += ".content['application/json'].schema"
	node, jp = deref(root, node, jp)
	for _, seg := range segs {
		if seg == "" {
			continue
		}
		var next *yaml.Node
		if seg == "items" {
			next, jp = get(node, "items"), jp+".items"
		} else {
			next, jp = get(node, "properties", seg), jp+".properties['"+seg+"']"
		}
		if next == nil {
			return "", nil, fmt.Errorf("no %q to follow", seg)
		}
		node, jp = deref(root, next, jp)
	}
	return jp, node, nil
}

// deref follows a local $ref, returning the node it names and that
// node's JSONPath.
func deref(root, n *yaml.Node, jp string) (*yaml.Node, string) {
	for range 10 {
		ref := get(n, "$ref")
		if ref == nil || !strings.HasPrefix(ref.Value, "#/") {
			return n, jp
		}
		parts := strings.Split(strings.TrimPrefix(ref.Value, "#/"), "/")
		next := get(root.Content[0], parts...)
		if next == nil {
			return n, jp
		}
		jp = "$"
		for _, p := range parts {
			jp += "['" + p + "']"
		}
		n = next
	}
	return n, jp
}

// maxInline bounds how deep a copied schema may go.
const maxInline = 32

// inline copies n with every local $ref replaced by what it names, so
// that what is copied from the published document stands on its own in
// openapi.yaml (whose components have other names). YAML aliases are
// copied as what they name, without anchors, so that the overlay parses
// on its own. A remote $ref is never followed (nothing in the loop
// fetches because a document says so), and a schema that refers to
// itself cannot be copied whole: both are errors, for a person to decide.
func inline(root, n *yaml.Node, onPath map[string]bool, depth int) (*yaml.Node, error) {
	if n == nil {
		return nil, nil
	}
	if depth > maxInline {
		return nil, fmt.Errorf("it nests deeper than %d levels", maxInline)
	}
	if n.Kind == yaml.AliasNode {
		return inline(root, n.Alias, onPath, depth+1)
	}
	if ref := get(n, "$ref"); ref != nil {
		if !strings.HasPrefix(ref.Value, "#/") {
			return nil, fmt.Errorf("it refers to %q, outside the published document; a remote reference is never followed or copied", ref.Value)
		}
		if onPath[ref.Value] {
			return nil, fmt.Errorf("%s refers to itself; a recursive schema cannot be copied whole", ref.Value)
		}
		target, _ := deref(root, n, "")
		if target == n {
			return nil, fmt.Errorf("%s names nothing in the published document", ref.Value)
		}
		onPath[ref.Value] = true
		defer delete(onPath, ref.Value)
		return inline(root, target, onPath, depth+1)
	}
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		var err error
		if c.Content[i], err = inline(root, child, onPath, depth+1); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// copyOf is n of the published document, inlined, for an action.
func copyOf(root, n *yaml.Node) (*yaml.Node, string) {
	c, err := inline(root, n, map[string]bool{}, 0)
	if err != nil {
		return nil, "not carried: " + err.Error()
	}
	return c, ""
}

// findParam is the query parameter name of an operation (or of its path).
func findParam(root *yaml.Node, path, op, name string) *yaml.Node {
	for _, list := range []*yaml.Node{get(root.Content[0], "paths", path, op, "parameters"), get(root.Content[0], "paths", path, "parameters")} {
		if list == nil {
			continue
		}
		for _, p := range list.Content {
			p2, _ := deref(root, p, "")
			if n := get(p2, "name"); n != nil && n.Value == name {
				if in := get(p2, "in"); in != nil && in.Value == "query" {
					return p2
				}
			}
		}
	}
	return nil
}

// get follows keys through mappings; nil when one is missing.
func get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

func mapping(key string, value *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(key), value}}
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

func nodeString(n *yaml.Node) string {
	b, _ := yaml.Marshal(n)
	return string(b)
}

func readNode(path string) (*yaml.Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(n.Content) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	return &n, nil
}
