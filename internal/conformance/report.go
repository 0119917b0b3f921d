package conformance

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

// Verdict is the outcome of one conformance case.
type Verdict string

const (
	Pass Verdict = "pass"
	Fail Verdict = "FAIL"
	Skip Verdict = "skip"
)

// Result is one case: what the spec promises and what came.
type Result struct {
	Operation string
	Case      string
	Expected  string
	Got       string
	Verdict   Verdict
}

// Report is the outcome of a [Run].
type Report struct {
	Results []Result
	// Drift is what the answers said beyond openapi.yaml, once per
	// operation, location and kind. It fails no case.
	Drift []contract.Drift
}

// Count returns how many results have verdict v.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, res := range r.Results {
		if res.Verdict == v {
			n++
		}
	}
	return n
}

// Failures returns the failed results.
func (r *Report) Failures() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Verdict == Fail {
			out = append(out, res)
		}
	}
	return out
}

// WriteTable prints the report as an aligned table with a closing count.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tCASE\tEXPECTED\tGOT\tVERDICT")
	for _, res := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", res.Operation, res.Case, res.Expected, res.Got, res.Verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Drift) > 0 {
		fmt.Fprintf(w, "\nDrift: the API said %d things openapi.yaml does not describe. For each, add it to openapi.yaml, then make generate and make test.\n", len(r.Drift))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "OPERATION\tSTATUS\tWHERE\tKIND\tEXAMPLE")
		for _, d := range r.Drift {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", d.Operation, d.Status, d.Where, d.Kind, d.Value)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "conformance: %d passed, %d failed, %d skipped\n", r.Count(Pass), r.Count(Fail), r.Count(Skip))
	return err
}
