package main

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// change is one difference, however many places it shows in: oasdiff
// reports a change of the shared error schema once per operation and
// status, and a new enum value once per place the enum is used (in
// answers, in a query parameter, in a request body), each with its own id
// and text.
type change struct {
	id, text string   // of its first finding
	subject  string   // what changed: the first quoted name of the text
	ids      []string // every check id it was reported under
	places   []string
}

// quoted finds the names oasdiff quotes in its texts.
var quoted = regexp.MustCompile("`([^`]+)`")

// family is a check id without the side it was seen on: an enum value
// added to an answer, a parameter and a request body is one change.
func family(id string) string {
	for _, kind := range []string{"enum-value-added", "enum-value-removed"} {
		if strings.HasSuffix(id, kind) {
			return kind
		}
	}
	return id
}

// group folds findings of one change into one each, in the order they
// first came: the same family of check, about the same name.
func group(findings []Finding) []*change {
	var out []*change
	byKey := map[string]*change{}
	for _, f := range findings {
		subject := ""
		if m := quoted.FindStringSubmatch(f.Text); m != nil {
			subject = m[1]
		}
		key := family(f.ID) + "\x00" + subject
		if subject == "" {
			key = f.ID + "\x00" + f.Text
		}
		c, ok := byKey[key]
		if !ok {
			c = &change{id: f.ID, text: f.Text, subject: subject}
			byKey[key] = c
			out = append(out, c)
		}
		if !slices.Contains(c.ids, f.ID) {
			c.ids = append(c.ids, f.ID)
		}
		if w := f.where(); !slices.Contains(c.places, w) {
			c.places = append(c.places, w)
		}
	}
	return out
}

// report prints what the deviations explain, what they do not, and what
// of them is gone; it returns exitNew when a difference is unexplained.
func report(findings []Finding, deviations []*Deviation, known, schema, version string, verbose bool, w io.Writer) int {
	matched := make([][]Finding, len(deviations))
	var unexplained []Finding
	for _, f := range findings {
		explained := false
		for i, d := range deviations {
			if d.matches(f) {
				matched[i] = append(matched[i], f)
				explained = true
				break
			}
		}
		if !explained {
			unexplained = append(unexplained, f)
		}
	}
	if version == "" {
		version = "no version"
	}
	newChanges := group(unexplained)
	fmt.Fprintf(w, "upstream: %s (version %s): %d differences from openapi.yaml in its people operations; %d known, %d new in %d changes\n",
		schema, version, len(findings), len(findings)-len(unexplained), len(unexplained), len(newChanges))
	for i, d := range deviations {
		switch {
		case len(matched[i]) == 0:
			fmt.Fprintf(w, "gone: the known deviation %s no longer shows; remove it from %s\n", d, known)
		default:
			for _, alt := range unusedAlternatives(d, matched[i]) {
				fmt.Fprintf(w, "gone: %q of the known deviation %s no longer shows; narrow its text in %s\n", alt, d, known)
			}
		}
		if verbose && len(matched[i]) > 0 {
			fmt.Fprintf(w, "known: %s explains %d:\n", d, len(matched[i]))
			for _, c := range group(matched[i]) {
				fmt.Fprintf(w, "  [%s] %s (%s)\n", c.id, c.text, strings.Join(c.places, "; "))
			}
		}
	}
	if len(unexplained) == 0 {
		fmt.Fprintln(w, "upstream: every difference is a known deviation")
		return 0
	}
	for _, c := range newChanges {
		fmt.Fprintf(w, "new: [%s] %s\n     at %s\n", strings.Join(c.ids, ", "), c.text, strings.Join(c.places, "; "))
		fmt.Fprintf(w, "     if openapi.yaml is right, a deviation entry:\n%s", indent(suggest(c), "       "))
	}
	fmt.Fprintf(w, `
What to do with each new difference:
  - if the API has changed, follow it in openapi.yaml, then make generate, make test and make breaking;
  - if openapi.yaml is right (the published schema is wrong or less exact), add its entry, with a true
    reason, to %s.
`, known)
	return exitNew
}

// suggest is the deviation entries that explain c and nothing else, one
// per check id, for a maintainer to give a reason.
func suggest(c *change) string {
	var b strings.Builder
	for _, id := range c.ids {
		fmt.Fprintf(&b, "- id: %s\n", id)
		if len(c.places) == 1 && c.places[0] != "the document" {
			fmt.Fprintf(&b, "  operation: %s\n", c.places[0])
		}
		text := "^" + regexp.QuoteMeta(c.text) + "$"
		if len(c.ids) > 1 || c.subject != "" && len(c.places) > 1 {
			text = "`" + regexp.QuoteMeta(c.subject) + "`"
		}
		fmt.Fprintf(&b, "  text: %q\n", text)
		b.WriteString("  reason: >-\n    WHY openapi.yaml is right here, with the evidence (or: an assumption, and what would prove it).\n")
	}
	return b.String()
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

// alternation finds the alternatives of a deviation's text: the names
// inside a backquoted group, as in "`(people|person/id|person_id)`".
var alternation = regexp.MustCompile("`\\(([^()`]+)\\)`")

// unusedAlternatives are the alternatives of d's text that no finding it
// explained used: the published document caught up with openapi.yaml
// there, and the entry now covers more than it should.
func unusedAlternatives(d *Deviation, matched []Finding) []string {
	m := alternation.FindStringSubmatch(d.Text)
	if m == nil {
		return nil
	}
	var out []string
	for _, alt := range strings.Split(m[1], "|") {
		one := strings.Replace(d.Text, m[0], "`("+alt+")`", 1)
		re, err := regexp.Compile(one)
		if err != nil {
			continue
		}
		used := slices.ContainsFunc(matched, func(f Finding) bool { return re.MatchString(f.Text) })
		if !used {
			out = append(out, alt)
		}
	}
	return out
}
