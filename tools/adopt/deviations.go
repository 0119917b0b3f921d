package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// recordDeviations appends to the deviations file one entry per property
// and per enum value adopted from live traffic: `make upstream` then
// knows why openapi.yaml says more than the published schema, and when
// it was seen.
func recordDeviations(path string, properties, values []string, day string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var b strings.Builder
	b.Write(data)
	if len(data) > 0 && data[len(data)-1] != '\n' {
		b.WriteByte('\n')
	}
	n := 0
	write := func(id, text, reason string) {
		fmt.Fprintf(&b, "  - id: %s\n    text: %q\n    reason: %s\n", id, text, reason)
		n++
	}
	for _, p := range properties {
		write("response-optional-property-removed", "`([^`]*/)?"+regexp.QuoteMeta(p)+"`",
			fmt.Sprintf("Seen in live answers (drift overlay adopted %s); the published schema does not have `%s` yet.", day, p))
	}
	for _, v := range values {
		for _, id := range []string{"response-property-enum-value-removed", "request-parameter-enum-value-removed", "request-property-enum-value-removed"} {
			write(id, "`"+regexp.QuoteMeta(v)+"`",
				fmt.Sprintf("Seen in live answers (drift overlay adopted %s); the published schema does not list the value `%s` yet.", day, v))
		}
	}
	return n, os.WriteFile(path, []byte(b.String()), 0o644)
}
