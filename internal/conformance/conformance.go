// Package conformance derives test cases from openapi.yaml and runs them
// against any implementation of the People API, judging each answer by the
// spec and each walk by what a pager must do. Package peopletest's
// Conformance is its face for users, and documents what the cases are.
package conformance

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// Target says where Run sends its cases, and as whom.
type Target struct {
	BaseURL    string // e.g. https://api.cloudinary.com, or a fake's URL
	CloudName  string
	APIKey     string
	APISecret  string
	OAuthToken string       // sent as Bearer instead of Basic auth when set
	HTTPClient *http.Client // nil: one with a 30 s timeout
	// Writes adds the updatePerson cases. The valid ones set a person's
	// fields to the values they already have; the others are refused.
	Writes bool
	// WalkCalls is how many calls the walk cases may make in all, shared
	// between them (at least two each); 0 means [DefaultWalkCalls].
	WalkCalls int
}

// Run derives the cases from the embedded openapi.yaml and runs them
// against target, in order. The error is for a run that could not start;
// a target that cannot be reached fails its cases instead.
func Run(ctx context.Context, target Target) (*Report, error) {
	if _, err := cldurl.BaseURL(target.BaseURL); err != nil {
		return nil, fmt.Errorf("peopletest: conformance target: %w", err)
	}
	v, err := contract.NewValidator()
	if err != nil {
		return nil, err
	}
	// A copy, so the caller's client keeps its own redirect policy. The
	// cases carry credentials, and the API never redirects: a redirect is
	// the answer a case gets, never followed to another origin or scheme.
	hc := &http.Client{Timeout: 30 * time.Second}
	if target.HTTPClient != nil {
		copied := *target.HTTPClient
		hc = &copied
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r := &runner{v: v, hc: hc, t: target, base: strings.TrimSuffix(target.BaseURL, "/"),
		scrub: redact.New(append(redact.Basic(target.APIKey, target.APISecret), target.OAuthToken, "Bearer "+target.OAuthToken)...)}
	r.discover(ctx)
	report := &Report{}
	var seen contract.FindingSet
	cases := deriveCases(v.Doc(), target.Writes)
	shapes := 0
	for _, c := range cases {
		if c.shape != nil {
			shapes++
		}
	}
	r.walkCalls = max(2, cmp.Or(target.WalkCalls, DefaultWalkCalls)/max(shapes, 1))
	for _, c := range cases {
		res, drift := r.run(ctx, c)
		report.Results = append(report.Results, res)
		for _, d := range drift {
			if seen.AddDrift(d) {
				report.Drift = append(report.Drift, d)
			}
		}
	}
	return report, nil
}
