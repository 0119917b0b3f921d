// Command upstream compares the people operations of Cloudinary's
// published OpenAPI document with openapi.yaml, through oasdiff, and checks
// every difference against a reviewed list of known deviations, each with
// its reason. `make upstream SCHEMA=<file>` runs it.
//
// It fails on a difference the list does not explain, naming it and what
// to do, and reports a listed deviation that no longer shows, so that the
// list stays true.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Finding is one difference, as oasdiff's JSON changelog gives it.
type Finding struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Operation string `json:"operation"` // HTTP method, "" outside paths
	Path      string `json:"path"`
}

func (f Finding) where() string {
	if f.Operation == "" {
		return "the document"
	}
	return f.Operation + " " + f.Path
}

// Deviation is a known difference, with the reason openapi.yaml keeps it.
type Deviation struct {
	ID string `yaml:"id"`
	// Operation is "METHOD /path"; empty matches every place.
	Operation string `yaml:"operation"`
	// Text is a regular expression the finding's text must match; empty
	// matches any.
	Text   string `yaml:"text"`
	Reason string `yaml:"reason"`
	text   *regexp.Regexp
}

func (d *Deviation) matches(f Finding) bool {
	if d.ID != f.ID {
		return false
	}
	if d.Operation != "" && d.Operation != f.Operation+" "+f.Path {
		return false
	}
	return d.text == nil || d.text.MatchString(f.Text)
}

func (d *Deviation) String() string {
	s := d.ID
	if d.Operation != "" {
		s += " at " + d.Operation
	}
	if d.Text != "" {
		s += " matching /" + d.Text + "/"
	}
	return s
}

// peoplePaths selects the people operations of a document that describes
// many APIs.
const peoplePaths = `/people(/|$)`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("upstream", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oasdiff := fs.String("oasdiff", "oasdiff", "the oasdiff binary")
	spec := fs.String("spec", "openapi.yaml", "our OpenAPI document")
	known := fs.String("deviations", "upstream-deviations.yaml", "the reviewed list of known deviations")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "upstream: give the published schema: upstream [flags] SCHEMA (e.g. api/schema.yml of github.com/cloudinary/api-schemas)")
		return 2
	}
	schema := fs.Arg(0)
	deviations, err := readDeviations(*known)
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return 2
	}
	findings, err := diff(*oasdiff, *spec, schema)
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return 2
	}
	return report(findings, deviations, *known, schema, stdout)
}

func readDeviations(path string) ([]*Deviation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Deviations []*Deviation `yaml:"deviations"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, d := range file.Deviations {
		if d.ID == "" || strings.TrimSpace(d.Reason) == "" {
			return nil, fmt.Errorf("%s: deviation %d needs an id and a reason", path, i+1)
		}
		if d.Text != "" {
			if d.text, err = regexp.Compile(d.Text); err != nil {
				return nil, fmt.Errorf("%s: deviation %d (%s): %w", path, i+1, d.ID, err)
			}
		}
	}
	return file.Deviations, nil
}

// diff runs oasdiff's changelog from spec to schema, over the people paths
// only. --auto-upgrade lets a 3.0 document meet a 3.1 one.
func diff(oasdiff, spec, schema string) ([]Finding, error) {
	if _, err := os.Stat(schema); err != nil {
		return nil, err
	}
	cmd := exec.Command(oasdiff, "changelog", spec, schema, "--match-path", peoplePaths, "--auto-upgrade", "-f", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("oasdiff: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var findings []Finding
	if err := json.Unmarshal(out, &findings); err != nil {
		return nil, fmt.Errorf("oasdiff's output: %w", err)
	}
	return findings, nil
}

// report prints what the deviations explain, what they do not, and which
// of them are gone; it returns 1 when a difference is unexplained.
func report(findings []Finding, deviations []*Deviation, known, schema string, w io.Writer) int {
	used := make([]int, len(deviations))
	var unexplained []Finding
	for _, f := range findings {
		explained := false
		for i, d := range deviations {
			if d.matches(f) {
				used[i]++
				explained = true
				break
			}
		}
		if !explained {
			unexplained = append(unexplained, f)
		}
	}
	fmt.Fprintf(w, "upstream: %d differences between openapi.yaml and the people operations of %s; %d known, %d new\n",
		len(findings), schema, len(findings)-len(unexplained), len(unexplained))
	for i, d := range deviations {
		if used[i] == 0 {
			fmt.Fprintf(w, "gone: the known deviation %s no longer shows; remove it from %s\n", d, known)
		}
	}
	if len(unexplained) == 0 {
		fmt.Fprintln(w, "upstream: every difference is a known deviation")
		return 0
	}
	for _, f := range unexplained {
		fmt.Fprintf(w, "new: [%s] %s: %s\n", f.ID, f.where(), f.Text)
	}
	fmt.Fprintf(w, `
What to do with each new difference:
  - if the API has changed, follow it in openapi.yaml, then make generate, make test and make breaking;
  - if openapi.yaml is right (the published schema is wrong or less exact), add an entry with
    its id, operation, a text pattern and the reason to %s.
`, known)
	return 1
}
