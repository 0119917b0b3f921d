package peopletest

import (
	"cmp"
	"context"
	"fmt"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/internal/conformance"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// ConformanceTarget says where [Conformance] sends its cases, and as whom:
// BaseURL (https://api.cloudinary.com, or a fake's URL), CloudName, and
// either APIKey and APISecret or an OAuthToken (sent as Bearer instead).
// HTTPClient nil means one with a 30 s timeout. Writes adds the
// updatePerson cases: the valid ones set a person's fields to the values
// they already have, the others are refused. WalkCalls is how many calls
// the walk cases may make in all, shared between them (at least two
// each); 0 means [DefaultWalkCalls].
type ConformanceTarget = conformance.Target

// ConformanceResult is one case: its Operation and Case, what the spec
// promises (Expected), what came (Got) and the Verdict.
type ConformanceResult = conformance.Result

// ConformanceReport is the outcome of a [Conformance] run: a result per
// case, and the drift the answers showed, once per operation, location and
// kind. Count, Failures and WriteTable summarise it.
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

// Conformance runs cases derived from openapi.yaml against target and
// reports, case by case, whether the answers keep the spec's promises. It
// works on any implementation of the People API: the fake, the live
// service, or a proxy in front of either.
//
// The cases come from the spec itself, so they grow with it. For each
// operation: each enum value of each query parameter, both edges of each
// bound, each optional parameter alone and a few combinations; a valid
// update of each field of the update body and an inspect built from the
// spec's example. Negative cases go just below and just above each bound,
// outside each enum, empty where the spec sets minProperties, one character
// past each maxLength, with no credentials, wrong credentials and an unknown
// person. A positive case expects a 2xx whose body matches the spec; a
// negative one a 4xx the operation documents, with a body matching the
// spec; no case may answer 5xx.
//
// Walk cases check what a pager does, not only its shapes: for each sort
// field in each direction and each filter, a walk at the smallest page
// size must bring no person twice, keep the order inside each page and
// across each boundary, bring only people who match the filters, and hold
// the same people, in the same order, as one page at the largest size.
// They share the target's WalkCalls.
//
// Cases that break the contract on purpose carry the [ProbeHeader], so a
// fake from [NewServer] with a t records what they break without failing
// the test.
//
// What the answers say beyond the spec is [Drift], in the report once per
// operation, location and kind; it fails no case.
//
// The target's base URL follows wrapper.New's rule (https, or http on a
// loopback host), since every case carries credentials; redirects are
// never followed. The error is for a run that could not start (a base URL
// refused, the spec failed to load); a target that cannot be reached fails
// its cases instead.
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
