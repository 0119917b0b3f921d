package peopletest

import (
	"cmp"
	"context"
	"fmt"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/internal/conformance"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// ConformanceTarget says where [Conformance] sends its cases, and as whom.
// Its fields:
//
//	BaseURL    string       // https://api.cloudinary.com, or a fake's URL
//	CloudName  string
//	APIKey     string
//	APISecret  string
//	OAuthToken string       // sent as Bearer instead of Basic auth when set
//	HTTPClient *http.Client // nil: one with a 30 s timeout
//	Writes     bool         // adds the updatePerson cases (valid ones change nothing)
//	WalkCalls  int          // the calls the walk cases may make in all; 0: DefaultWalkCalls
type ConformanceTarget = conformance.Target

// ConformanceResult is one case. Its fields:
//
//	Operation string  // operationId
//	Case      string  // what the case sends
//	Expected  string  // what the spec promises
//	Got       string  // what came
//	Verdict   Verdict // Pass, Fail or Skip
type ConformanceResult = conformance.Result

// ConformanceReport is the outcome of a [Conformance] run; Count, Failures
// and WriteTable summarise it. Its fields:
//
//	Results []ConformanceResult // one a case, in order
//	Drift   []Drift             // what the answers said beyond openapi.yaml, once per operation, location and kind
type ConformanceReport = conformance.Report

// Verdict is the outcome of one conformance case.
type Verdict = conformance.Verdict

// The verdicts.
const (
	Pass = conformance.Pass
	Fail = conformance.Fail
	Skip = conformance.Skip
)

// DefaultWalkCalls is the calls [Conformance]'s walk cases make in all
// when [ConformanceTarget].WalkCalls is 0.
const DefaultWalkCalls = conformance.DefaultWalkCalls

// Conformance runs the cases derived from openapi.yaml against target (the
// fake, the live service, or a proxy in front of either) and reports, case
// by case, whether the answers keep the spec's promises, with the [Drift]
// they showed. The cases grow with the spec: enum values, bounds and their
// edges, bad credentials, and walks that check the pager
// (docs/contract-testing.md lists them). Cases that break the contract on
// purpose carry the [ProbeHeader]. The error is for a run that could not
// start; a target that cannot be reached fails its cases instead.
func Conformance(ctx context.Context, target ConformanceTarget) (*ConformanceReport, error) {
	return conformance.Run(ctx, target)
}

// TargetFromCloudinaryURL reads a ConformanceTarget from a CLOUDINARY_URL
// (cloudinary://key:secret@cloud?upload_prefix=...&oauth_token=...), with
// the same parser and the same base-URL rule as wrapper.New: https, or
// plain http on a loopback host only. Its errors never repeat the URL,
// which holds the secret.
func TargetFromCloudinaryURL(raw string) (ConformanceTarget, error) {
	u, err := cldurl.Parse(raw)
	if err != nil {
		return ConformanceTarget{}, fmt.Errorf("peopletest: %w", err)
	}
	if u.CloudName == "" {
		return ConformanceTarget{}, fmt.Errorf("peopletest: CLOUDINARY_URL has no cloud name; it must look like %s", cldurl.Form)
	}
	t := ConformanceTarget{CloudName: u.CloudName, APIKey: u.APIKey, APISecret: u.APISecret, OAuthToken: u.OAuthToken,
		BaseURL: cmp.Or(u.UploadPrefix, wrapper.DefaultBaseURL)}
	if _, err := cldurl.BaseURL(t.BaseURL); err != nil {
		return ConformanceTarget{}, fmt.Errorf("peopletest: CLOUDINARY_URL upload_prefix: %w", err)
	}
	return t, nil
}
