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

// peoplePaths selects the people operations of a document that describes
// many APIs.
const peoplePaths = `/people(/|$)`

// Exit statuses: 1 is a finding, 2 a failure of the tool.
const (
	exitNew    = 1
	exitFailed = 2
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("upstream", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oasdiff := fs.String("oasdiff", "oasdiff", "the oasdiff binary")
	spec := fs.String("spec", "openapi.yaml", "our OpenAPI document")
	known := fs.String("deviations", "upstream-deviations.yaml", "the reviewed list of known deviations")
	verbose := fs.Bool("v", false, "also list each known deviation with the findings it explains")
	overlay := fs.String("overlay", "", "write an OpenAPI Overlay 1.0.0 of the additive differences to `FILE`, for make adopt")
	if err := fs.Parse(args); err != nil {
		return exitFailed
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "upstream: give the published schema: upstream [flags] SCHEMA (e.g. api/schema.yml of github.com/cloudinary/api-schemas)")
		return exitFailed
	}
	schema := fs.Arg(0)
	deviations, err := readDeviations(*known)
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return exitFailed
	}
	doc, err := readPublished(schema)
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return exitFailed
	}
	tmp, err := os.MkdirTemp("", "upstream")
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return exitFailed
	}
	defer os.RemoveAll(tmp)
	local, remote, err := localOnly(schema, tmp)
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return exitFailed
	}
	for _, r := range remote {
		fmt.Fprintf(stdout, "upstream: %s refers to %s, outside itself: not followed, and nothing behind it is compared or copied\n", schema, r)
	}
	findings, err := diff(*oasdiff, *spec, local)
	if err != nil {
		fmt.Fprintf(stderr, "upstream: %v\n", err)
		return exitFailed
	}
	code := report(findings, deviations, *known, schema, doc.version, *verbose, stdout)
	if *overlay != "" {
		if err := writeOverlay(*overlay, findings, *spec, schema, doc.version); err != nil {
			fmt.Fprintf(stderr, "upstream: writing the overlay: %v\n", err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "upstream: wrote the additive differences to %s; review it, then make adopt OVERLAY=%s\n", *overlay, *overlay)
	}
	return code
}

// published is what the checker reads of the published document itself.
type published struct {
	version string
}

// readPublished reads the published document, and refuses one without
// people operations: comparing it would call every operation of
// openapi.yaml removed, which says nothing about the API.
func readPublished(path string) (*published, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Info struct {
			Version string `yaml:"version"`
		} `yaml:"info"`
		Paths map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s is not a YAML or JSON document: %v", path, err)
	}
	people := regexp.MustCompile(peoplePaths)
	n := 0
	for p := range doc.Paths {
		if people.MatchString(p) {
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("%s has no people operations (no path matches %s): give the API schema of github.com/cloudinary/api-schemas (api/schema.yml)", path, peoplePaths)
	}
	return &published{version: doc.Info.Version}, nil
}

// diff runs oasdiff's changelog from spec to schema, over the people paths
// only. --auto-upgrade lets a 3.0 document meet a 3.1 one; --flatten-params
// compares parameters declared on a path with those of its operations, so
// that a path parameter (cloud_name, person_id) is compared at all.
func diff(oasdiff, spec, schema string) ([]Finding, error) {
	cmd := exec.Command(oasdiff, "changelog", spec, schema, "--match-path", peoplePaths, "--auto-upgrade", "--flatten-params", "-f", "json")
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
