// Command adopt applies an OpenAPI Overlay (from `make upstream ...
// OVERLAY=`, or peoplemock's GET /_peoplemock/drift/overlay) to
// openapi.yaml, keeping the document's comments and key order, through
// speakeasy's Overlay implementation. `make adopt OVERLAY=FILE` runs it,
// then regenerates and runs the spec-to-wrapper check.
//
// Every action must hit something: an overlay written for another
// version of openapi.yaml is refused whole, and the file is left as it
// was.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("adopt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "openapi.yaml", "the OpenAPI document to change")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "adopt: give the overlay: adopt [-spec openapi.yaml] OVERLAY")
		return 2
	}
	if err := adopt(*spec, fs.Arg(0), stdout); err != nil {
		fmt.Fprintf(stderr, "adopt: %v\n", err)
		return 1
	}
	return 0
}

func adopt(specPath, overlayPath string, stdout io.Writer) error {
	o, err := overlay.Parse(overlayPath)
	if err != nil {
		return fmt.Errorf("%s: %w", overlayPath, err)
	}
	if err := o.Validate(); err != nil {
		return fmt.Errorf("%s is not a valid Overlay: %w", overlayPath, err)
	}
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	warnings, err := o.ApplyToStrict(&root)
	if err != nil {
		return fmt.Errorf("%s does not fit %s (nothing was changed): %w", overlayPath, specPath, err)
	}
	for _, w := range warnings {
		fmt.Fprintf(stdout, "adopt: warning: %s\n", w)
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if bytes.Equal(out.Bytes(), raw) {
		fmt.Fprintf(stdout, "adopt: %s changes nothing in %s\n", overlayPath, specPath)
		return nil
	}
	if err := os.WriteFile(specPath, out.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "adopt: applied %d actions of %s to %s\n", len(o.Actions), overlayPath, specPath)
	return nil
}
