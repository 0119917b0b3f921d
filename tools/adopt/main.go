// Command adopt applies an OpenAPI Overlay (from `make upstream ...
// OVERLAY=`, or peoplemock's GET /_peoplemock/drift/overlay) to
// openapi.yaml, keeping the document's comments and key order, through
// speakeasy's Overlay implementation. `make adopt OVERLAY=FILE` runs it,
// then regenerates and runs the spec-to-wrapper check.
//
// Every action must hit something: an overlay written for another
// version of openapi.yaml is refused whole, and the file is left as it
// was. So is one with an action that does more than add (a removal, a
// changed value, a new requirement), unless -allow-breaking says so, and
// one that would give a schema two properties the generator makes one Go
// field of.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "follow" {
		return runFollow(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("adopt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "openapi.yaml", "the OpenAPI document to change")
	anyAction := fs.Bool("allow-breaking", false, "apply actions that are not additions too (a removal, a changed value, a new requirement)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "adopt: give the overlay: adopt [-spec openapi.yaml] [-allow-breaking] OVERLAY")
		return 2
	}
	if err := adopt(*spec, fs.Arg(0), *anyAction, stdout); err != nil {
		fmt.Fprintf(stderr, "adopt: %v\n", err)
		return 1
	}
	return 0
}

// runFollow is `adopt follow -before OLD -after NEW OVERLAY`, run once the
// models are generated again.
func runFollow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("adopt follow", flag.ContinueOnError)
	fs.SetOutput(stderr)
	before := fs.String("before", "", "the models file before the adoption")
	after := fs.String("after", "wrapper/models.gen.go", "the models file generated since")
	changelog := fs.String("changelog", "CHANGELOG.md", "the changelog to name the new fields in")
	deviations := fs.String("deviations", "upstream-deviations.yaml", "the known deviations from the published schema")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *before == "" {
		fmt.Fprintln(stderr, "adopt: adopt follow -before OLD [-after NEW] OVERLAY")
		return 2
	}
	if err := follow(*before, *after, fs.Arg(0), *changelog, *deviations, stdout); err != nil {
		fmt.Fprintf(stderr, "adopt: %v\n", err)
		return 1
	}
	return 0
}

func adopt(specPath, overlayPath string, anyAction bool, stdout io.Writer) error {
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
	if !anyAction {
		if err := onlyAdditions(o, raw); err != nil {
			return fmt.Errorf("%s: %w; nothing was changed (make adopt OVERLAY=%s BREAKING=1 applies it anyway)", overlayPath, err, overlayPath)
		}
	}
	warnings, err := o.ApplyToStrict(&root)
	if err != nil {
		return fmt.Errorf("%s does not fit %s (nothing was changed): %w", overlayPath, specPath, err)
	}
	if c := collisions(&root); len(c) > 0 {
		return fmt.Errorf("%s would give openapi.yaml properties the generator cannot tell apart (nothing was changed): %s", overlayPath, strings.Join(c, "; "))
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

// onlyAdditions applies each action alone to the document raw and
// refuses the first that does more than add, naming it.
func onlyAdditions(o *overlay.Overlay, raw []byte) error {
	for i, a := range o.Actions {
		if a.Remove {
			return fmt.Errorf("action %d (%s) removes %s, which is not an addition", i+1, describe(a), a.Target)
		}
		var before, after yaml.Node
		if err := yaml.Unmarshal(raw, &before); err != nil {
			return err
		}
		if err := yaml.Unmarshal(raw, &after); err != nil {
			return err
		}
		one := *o
		one.Actions = []overlay.Action{a}
		if _, err := one.ApplyToStrict(&after); err != nil {
			return fmt.Errorf("action %d (%s) does not fit: %w", i+1, describe(a), err)
		}
		if why := notAdditive(&before, &after, ""); why != "" {
			return fmt.Errorf("action %d (%s) %s, which is not an addition", i+1, describe(a), why)
		}
	}
	return nil
}

func describe(a overlay.Action) string {
	if a.Description != "" {
		return a.Description
	}
	return "target " + a.Target
}
