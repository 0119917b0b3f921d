package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// surface is what a models file exports: fields ("Person.FaceCount") with
// their JSON names, and constants with their values.
type surface struct {
	fields map[string]string
	consts map[string]string
}

func readSurface(path string) (surface, error) {
	s := surface{fields: map[string]string{}, consts: map[string]string{}}
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return s, err
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSpec:
			st, ok := n.Type.(*ast.StructType)
			if !ok || !n.Name.IsExported() {
				return false
			}
			for _, fld := range st.Fields.List {
				for _, name := range fld.Names {
					s.fields[n.Name.Name+"."+name.Name] = jsonName(fld.Tag)
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i >= len(n.Values) {
					break
				}
				if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING && name.IsExported() {
					s.consts[name.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
		return true
	})
	return s, nil
}

func jsonName(tag *ast.BasicLit) string {
	if tag == nil {
		return ""
	}
	m := regexp.MustCompile(`json:"([^",]*)`).FindStringSubmatch(tag.Value)
	if m == nil {
		return ""
	}
	return m[1]
}

// added lists what after exports that before did not, as
// "Person.FaceCount (`face_count`)".
func added(before, after surface) (fields, consts, jsonNames, values []string) {
	for _, k := range sortedKeys(after.fields) {
		if _, ok := before.fields[k]; !ok && after.fields[k] != "" && after.fields[k] != "-" {
			fields = append(fields, fmt.Sprintf("`%s` (`%s`)", k, after.fields[k]))
			jsonNames = append(jsonNames, after.fields[k])
		}
	}
	for _, k := range sortedKeys(after.consts) {
		if _, ok := before.consts[k]; !ok {
			consts = append(consts, fmt.Sprintf("`%s` (`%s`)", k, after.consts[k]))
			values = append(values, after.consts[k])
		}
	}
	return fields, consts, jsonNames, values
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// follow finishes an adoption once the models are generated again: it
// names what users gain in CHANGELOG.md and, for an overlay of live
// traffic, records in the deviations file why openapi.yaml now says more
// than the published schema.
func follow(beforeModels, afterModels, overlayPath, changelog, deviations string, stdout io.Writer) error {
	before, err := readSurface(beforeModels)
	if err != nil {
		return err
	}
	after, err := readSurface(afterModels)
	if err != nil {
		return err
	}
	fields, consts, names, values := added(before, after)
	if len(fields)+len(consts) == 0 {
		fmt.Fprintln(stdout, "adopt: the models gained nothing: no CHANGELOG entry written")
		return nil
	}
	title, err := overlayTitle(overlayPath)
	if err != nil {
		return err
	}
	// A new value of an enum the API answers breaks a client with a closed
	// enum: make breaking asks for it under Breaking.
	source := "the published schema"
	if strings.HasPrefix(title, liveTitle) {
		source = "live traffic"
	}
	if len(fields) > 0 {
		line := fmt.Sprintf("- `openapi.yaml`, `wrapper`: adopted from %s: new fields %s.", source, strings.Join(fields, ", "))
		if err := addChangelogEntry(changelog, "### Added", line); err != nil {
			return err
		}
	}
	if len(consts) > 0 {
		line := fmt.Sprintf("- `openapi.yaml`, `wrapper`: adopted from %s: new enum values %s; a client with a closed enum must accept them.", source, strings.Join(consts, ", "))
		if err := addChangelogEntry(changelog, "### Breaking", line); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "adopt: the models gained %s\nadopt: %s: entries under [Unreleased] name them (new enum values under Breaking)\n", strings.Join(append(fields, consts...), ", "), changelog)
	if !strings.HasPrefix(title, liveTitle) {
		return nil
	}
	n, err := recordDeviations(deviations, names, values, time.Now().UTC().Format("2006-01-02"))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "adopt: %s: %d entries record that live answers held what the published schema lacks\n", deviations, n)
	return nil
}

// liveTitle starts the title of an overlay of live traffic (peoplemock's
// /_peoplemock/drift/overlay, peopletest.DriftOverlay).
const liveTitle = "Drift seen in live"

func overlayTitle(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var doc struct {
		Info struct {
			Title string `yaml:"title"`
		} `yaml:"info"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return doc.Info.Title, nil
}
