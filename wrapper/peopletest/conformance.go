package peopletest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// ConformanceTarget says where [Conformance] sends its cases, and as whom.
type ConformanceTarget struct {
	BaseURL    string // e.g. https://api.cloudinary.com, or a fake's URL
	CloudName  string
	APIKey     string
	APISecret  string
	OAuthToken string       // sent as Bearer instead of Basic auth when set
	HTTPClient *http.Client // nil: one with a 30 s timeout
	// Writes adds the updatePerson cases. The valid ones set a person's
	// fields to the values they already have; the others are refused.
	Writes bool
}

// Verdict is the outcome of one conformance case.
type Verdict string

const (
	Pass Verdict = "pass"
	Fail Verdict = "FAIL"
	Skip Verdict = "skip"
)

// ConformanceResult is one case: what the spec promises and what came.
type ConformanceResult struct {
	Operation string
	Case      string
	Expected  string
	Got       string
	Verdict   Verdict
}

// ConformanceReport is the outcome of a [Conformance] run.
type ConformanceReport struct {
	Results []ConformanceResult
}

// Count returns how many results have verdict v.
func (r *ConformanceReport) Count(v Verdict) int {
	n := 0
	for _, res := range r.Results {
		if res.Verdict == v {
			n++
		}
	}
	return n
}

// Failures returns the failed results.
func (r *ConformanceReport) Failures() []ConformanceResult {
	var out []ConformanceResult
	for _, res := range r.Results {
		if res.Verdict == Fail {
			out = append(out, res)
		}
	}
	return out
}

// WriteTable prints the report as an aligned table with a closing count.
func (r *ConformanceReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tCASE\tEXPECTED\tGOT\tVERDICT")
	for _, res := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", res.Operation, res.Case, res.Expected, res.Got, res.Verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "conformance: %d passed, %d failed, %d skipped\n", r.Count(Pass), r.Count(Fail), r.Count(Skip))
	return err
}

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
// The error is for a run that could not start (the spec failed to load);
// a target that cannot be reached fails its cases instead.
func Conformance(ctx context.Context, target ConformanceTarget) (*ConformanceReport, error) {
	if _, err := cldurl.BaseURL(target.BaseURL); err != nil {
		return nil, fmt.Errorf("peopletest: conformance target: %w", err)
	}
	v, err := newValidator()
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
	r := &runner{v: v, hc: hc, t: target, base: strings.TrimSuffix(target.BaseURL, "/")}
	r.discover(ctx)
	report := &ConformanceReport{}
	for _, c := range deriveCases(v.doc, target.Writes) {
		report.Results = append(report.Results, r.run(ctx, c))
	}
	return report, nil
}

type authMode int

const (
	authGood authMode = iota
	authNone
	authWrong
)

// confCase is one derived case. Values written as fixture("name") are
// filled in at run time from what the target holds.
type confCase struct {
	op, method, path string // path is the spec's template
	name             string
	query            url.Values
	queryFixture     map[string]string // parameter -> fixture, e.g. the target's own next_cursor
	body             any               // nil: no body
	auth             authMode
	unknownPerson    bool
	wantStatus       int // 0: a 2xx with a valid body; else the documented 4xx expected
}

// fixture marks a value to take from the target's own data (a person's ID,
// name, status or thumbnail asset), or fallback when the target has none.
type fixture struct {
	name     string
	fallback any // nil: the case is skipped without the fixture
}

const unknownPersonID = "conformance-unknown-person-0000000000000000"

// deriveCases walks the spec. Writes adds the PUT operations' cases.
func deriveCases(doc *openapi3.T, writes bool) []confCase {
	var out []confCase
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		item := paths[path]
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			op := item.GetOperation(method)
			if op == nil || (!writes && (method == http.MethodPut || method == http.MethodPatch || method == http.MethodDelete)) {
				continue
			}
			out = append(out, operationCases(path, method, item, op)...)
		}
	}
	return out
}

func operationCases(path, method string, item *openapi3.PathItem, op *openapi3.Operation) []confCase {
	base := confCase{op: op.OperationID, method: method, path: path}
	body := validBody(op)
	if schema := bodySchema(op); schema != nil && body == nil {
		// A body tried field by field still needs a valid one for the
		// cases about who calls and on whom.
		body = someValidField(schema)
	}
	with := func(name string, f func(*confCase)) confCase {
		c := base
		c.name = name
		c.query = url.Values{}
		c.body = body
		f(&c)
		return c
	}
	var out []confCase
	params := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)

	// Positive: the plain call, then each query parameter's values.
	if body != nil || bodySchema(op) == nil {
		out = append(out, with("plain call", func(*confCase) {}))
	}
	var enums []*openapi3.Parameter
	for _, ref := range params {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		s := p.Schema.Value
		switch {
		case len(s.Enum) > 0:
			enums = append(enums, p)
			for _, e := range s.Enum {
				out = append(out, with(fmt.Sprintf("%s=%v", p.Name, e), func(c *confCase) { c.query.Set(p.Name, fmt.Sprint(e)) }))
			}
			out = append(out, with(p.Name+" outside its enum", func(c *confCase) {
				c.query.Set(p.Name, "not-a-"+p.Name)
				c.wantStatus = http.StatusBadRequest
			}))
		case s.Type.Is("integer") || s.Type.Is("number"):
			if s.Min != nil {
				out = append(out,
					with(fmt.Sprintf("%s=%s (minimum)", p.Name, num(*s.Min)), func(c *confCase) { c.query.Set(p.Name, num(*s.Min)) }),
					with(fmt.Sprintf("%s=%s (below minimum)", p.Name, num(*s.Min-1)), func(c *confCase) {
						c.query.Set(p.Name, num(*s.Min-1))
						c.wantStatus = http.StatusBadRequest
					}))
			}
			if s.Max != nil {
				out = append(out,
					with(fmt.Sprintf("%s=%s (maximum)", p.Name, num(*s.Max)), func(c *confCase) { c.query.Set(p.Name, num(*s.Max)) }),
					with(fmt.Sprintf("%s=%s (above maximum)", p.Name, num(*s.Max+1)), func(c *confCase) {
						c.query.Set(p.Name, num(*s.Max+1))
						c.wantStatus = http.StatusBadRequest
					}))
			}
			if s.Min == nil && s.Max == nil {
				out = append(out, with(p.Name+" alone", func(c *confCase) { c.query.Set(p.Name, "1") }))
			}
		case p.Name == "next_cursor":
			out = append(out, with(p.Name+" alone", func(c *confCase) { c.queryFixture = map[string]string{p.Name: "next_cursor"} }))
		default:
			out = append(out, with(p.Name+" alone", func(c *confCase) { c.query.Set(p.Name, exampleValue(p)) }))
		}
	}
	// A few combinations: each pair of enum parameters, and all of them.
	for i := range enums {
		for j := i + 1; j < len(enums); j++ {
			a, b := enums[i], enums[j]
			va, vb := a.Schema.Value.Enum[len(a.Schema.Value.Enum)-1], b.Schema.Value.Enum[len(b.Schema.Value.Enum)-1]
			out = append(out, with(fmt.Sprintf("%s=%v with %s=%v", a.Name, va, b.Name, vb), func(c *confCase) {
				c.query.Set(a.Name, fmt.Sprint(va))
				c.query.Set(b.Name, fmt.Sprint(vb))
			}))
		}
	}
	if len(enums) > 2 {
		out = append(out, with("every enum parameter at once", func(c *confCase) {
			for _, p := range enums {
				c.query.Set(p.Name, fmt.Sprint(p.Schema.Value.Enum[0]))
			}
		}))
	}

	// The request body: a valid value of each field, then what breaks it.
	if schema := bodySchema(op); schema != nil && !isObjectWithRequired(schema) {
		out = append(out, bodyFieldCases(schema, with)...)
	}
	if schema := bodySchema(op); schema != nil && body != nil {
		for _, at := range minPropertiesPaths(schema, body, nil) {
			out = append(out, with("empty "+strings.Join(at, ".")+" (minProperties)", func(c *confCase) {
				c.body = replaceAt(copyValue(body), at, map[string]any{})
				c.wantStatus = http.StatusBadRequest
			}))
		}
	}

	// Who and what: unknown person, missing and wrong credentials.
	if hasPathParam(params, "person_id") && op.Responses.Status(http.StatusNotFound) != nil {
		out = append(out, with("unknown person", func(c *confCase) { c.unknownPerson, c.wantStatus = true, http.StatusNotFound }))
	}
	if op.Responses.Status(http.StatusUnauthorized) != nil {
		out = append(out,
			with("missing credentials", func(c *confCase) { c.auth, c.wantStatus = authNone, http.StatusUnauthorized }),
			with("wrong credentials", func(c *confCase) { c.auth, c.wantStatus = authWrong, http.StatusUnauthorized }))
	}
	return out
}

// bodySchema is the JSON request body's schema, or nil.
func bodySchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// isObjectWithRequired: a body whose fields are all required (inspect) is
// sent whole, from its example; one whose fields are each optional (update)
// is tried field by field.
func isObjectWithRequired(s *openapi3.Schema) bool { return len(s.Required) > 0 }

// validBody is the body a positive case sends: the spec's example for a
// body with required fields, with person IDs replaced by a real one; nil
// for a field-by-field body, whose cases set their own.
func validBody(op *openapi3.Operation) any {
	schema := bodySchema(op)
	if schema == nil || !isObjectWithRequired(schema) {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	example := mt.Example
	if example == nil {
		for _, ex := range mt.Examples {
			if ex.Value != nil {
				example = ex.Value.Value
				break
			}
		}
	}
	if example == nil {
		return nil
	}
	return withPersonFixtures(copyValue(example), schema)
}

// withPersonFixtures replaces, in a map of caller-chosen keys to person
// IDs (an object whose additional properties are strings), each ID with
// the target's own.
func withPersonFixtures(v any, s *openapi3.Schema) any {
	m, ok := v.(map[string]any)
	if !ok || s == nil {
		return v
	}
	for k, child := range m {
		prop := s.Properties[k]
		if prop == nil {
			if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil && ap.Value.Type.Is("string") {
				m[k] = fixture{name: "person_id"}
			}
			continue
		}
		m[k] = withPersonFixtures(child, prop.Value)
	}
	return m
}

func bodyFieldCases(s *openapi3.Schema, with func(string, func(*confCase)) confCase) []confCase {
	var out []confCase
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		prop := s.Properties[name].Value
		if prop == nil {
			continue
		}
		// The target's own value (a person's current name, status or
		// thumbnail asset) is valid and changes nothing; else the spec's.
		var fallback any = prop.Example
		if fallback == nil && len(prop.Enum) > 0 {
			fallback = prop.Enum[0]
		}
		out = append(out, with("valid "+name, func(c *confCase) { c.body = map[string]any{name: fixture{name: name, fallback: fallback}} }))
		if len(prop.Enum) > 0 {
			out = append(out, with(name+" outside its enum", func(c *confCase) {
				c.body = map[string]any{name: "not-a-" + name}
				c.wantStatus = http.StatusBadRequest
			}))
		}
		if prop.MinLength > 0 {
			n := int(prop.MinLength) - 1
			out = append(out, with(fmt.Sprintf("%s of %d characters (minLength %d)", name, n, n+1), func(c *confCase) {
				c.body = map[string]any{name: strings.Repeat("x", n)}
				c.wantStatus = http.StatusBadRequest
			}))
		}
		if prop.MaxLength != nil {
			n := int(*prop.MaxLength) + 1
			out = append(out, with(fmt.Sprintf("%s of %d characters (maxLength %d)", name, n, n-1), func(c *confCase) {
				c.body = map[string]any{name: strings.Repeat("x", n)}
				c.wantStatus = http.StatusBadRequest
			}))
		}
	}
	if s.MinProps > 0 {
		out = append(out, with("empty body (minProperties)", func(c *confCase) {
			c.body = map[string]any{}
			c.wantStatus = http.StatusBadRequest
		}))
	}
	return out
}

// someValidField is a one-field body for a schema whose fields are each
// optional: an enum field, whose values the spec itself gives, if any.
func someValidField(s *openapi3.Schema) any {
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		if p := s.Properties[name].Value; p != nil && len(p.Enum) > 0 {
			return map[string]any{name: fixture{name: name, fallback: p.Enum[0]}}
		}
	}
	return nil
}

// minPropertiesPaths lists the objects of a valid body whose schema sets
// minProperties, as key paths.
func minPropertiesPaths(s *openapi3.Schema, v any, prefix []string) [][]string {
	m, ok := v.(map[string]any)
	if !ok || s == nil {
		return nil
	}
	var out [][]string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		prop := s.Properties[k]
		if prop == nil || prop.Value == nil {
			continue
		}
		at := append(slices.Clone(prefix), k)
		if prop.Value.MinProps > 0 {
			out = append(out, at)
		}
		out = append(out, minPropertiesPaths(prop.Value, m[k], at)...)
	}
	return out
}

// replaceAt sets the value at path (keys) in v.
func replaceAt(v any, path []string, to any) any {
	if len(path) == 0 {
		return to
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	m[path[0]] = replaceAt(m[path[0]], path[1:], to)
	return m
}

// copyValue copies maps and slices of a JSON-like value, fixtures included.
func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, child := range v {
			m[k] = copyValue(child)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			out[i] = copyValue(child)
		}
		return out
	}
	return v
}

func hasPathParam(params openapi3.Parameters, name string) bool {
	for _, p := range params {
		if p.Value != nil && p.Value.In == openapi3.ParameterInPath && p.Value.Name == name {
			return true
		}
	}
	return false
}

// exampleValue is a value for a free-form query parameter: the spec's
// example.
func exampleValue(p *openapi3.Parameter) string {
	if p.Example != nil {
		return fmt.Sprint(p.Example)
	}
	if p.Schema.Value.Example != nil {
		return fmt.Sprint(p.Schema.Value.Example)
	}
	return "a"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// runner sends cases to a target.
type runner struct {
	v        *validator
	hc       *http.Client
	t        ConformanceTarget
	base     string
	fixtures map[string]any // from discover
}

// discover reads what the target holds: a person (a named one with a
// thumbnail if there is one) and a next_cursor.
func (r *runner) discover(ctx context.Context) {
	r.fixtures = map[string]any{}
	var page struct {
		People []struct {
			ID        string  `json:"id"`
			Name      *string `json:"name"`
			Status    string  `json:"status"`
			Thumbnail struct {
				AssetID string `json:"asset_id"`
			} `json:"thumbnail"`
		} `json:"people"`
		NextCursor *string `json:"next_cursor"`
	}
	status, body, err := r.send(ctx, http.MethodGet, "/v1_1/"+url.PathEscape(r.t.CloudName)+"/people?max_results=100", nil, authGood)
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &page) != nil {
		return
	}
	if page.NextCursor != nil && *page.NextCursor != "" {
		r.fixtures["next_cursor"] = *page.NextCursor
	} else {
		// A smaller page for a cursor to continue from.
		var first struct {
			NextCursor *string `json:"next_cursor"`
		}
		status, body, err := r.send(ctx, http.MethodGet, "/v1_1/"+url.PathEscape(r.t.CloudName)+"/people?max_results=1", nil, authGood)
		if err == nil && status == http.StatusOK && json.Unmarshal(body, &first) == nil && first.NextCursor != nil && *first.NextCursor != "" {
			r.fixtures["next_cursor"] = *first.NextCursor
		}
	}
	// The most useful person: named (a valid name to send back) and with a
	// thumbnail (a valid asset to send back).
	best, bestScore := -1, -1
	for i, p := range page.People {
		score := boolInt(p.Name != nil && *p.Name != "")*2 + boolInt(p.Thumbnail.AssetID != "")
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return
	}
	p := page.People[best]
	r.fixtures["person_id"] = p.ID
	if p.Name != nil && *p.Name != "" {
		r.fixtures["name"] = *p.Name
	}
	if p.Status != "" {
		r.fixtures["status"] = p.Status
	}
	if p.Thumbnail.AssetID != "" {
		r.fixtures["thumbnail_asset_id"] = p.Thumbnail.AssetID
	}
}

// resolve fills fixtures in v; missing names the fixture that is not known.
func (r *runner) resolve(v any) (out any, missing string) {
	switch v := v.(type) {
	case fixture:
		if f, ok := r.fixtures[v.name]; ok {
			return f, ""
		}
		if v.fallback != nil {
			return v.fallback, ""
		}
		return nil, v.name
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, child := range v {
			resolved, miss := r.resolve(child)
			if miss != "" {
				return nil, miss
			}
			m[k] = resolved
		}
		return m, ""
	}
	return v, ""
}

func (r *runner) run(ctx context.Context, c confCase) ConformanceResult {
	res := ConformanceResult{Operation: c.op, Case: c.name, Expected: "2xx, body as specified"}
	if c.wantStatus != 0 {
		res.Expected = fmt.Sprintf("documented 4xx (%d), error schema", c.wantStatus)
	}
	skip := func(why string) ConformanceResult {
		res.Got, res.Verdict = why, Skip
		return res
	}
	// The path, from the template.
	path := c.path
	for _, name := range []string{"cloud_name", "person_id"} {
		if !strings.Contains(path, "{"+name+"}") {
			continue
		}
		var val string
		switch {
		case name == "cloud_name":
			val = r.t.CloudName
		case c.unknownPerson:
			val = unknownPersonID
		default:
			id, ok := r.fixtures["person_id"].(string)
			if !ok {
				return skip("no person on the target to use")
			}
			val = id
		}
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(val))
	}
	q := url.Values{}
	for k, vs := range c.query {
		q[k] = vs
	}
	for param, name := range c.queryFixture {
		f, ok := r.fixtures[name].(string)
		if !ok {
			return skip("the target gave no " + name)
		}
		q.Set(param, f)
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var body []byte
	if c.body != nil {
		resolved, missing := r.resolve(c.body)
		if missing != "" {
			return skip("no known valid " + missing + " on the target")
		}
		body, _ = json.Marshal(resolved)
	}

	req, status, respBody, header, err := r.exchange(ctx, c.method, path, body, c.auth)
	if err != nil {
		res.Got, res.Verdict = "no answer: "+err.Error(), Fail
		return res
	}
	res.Got = strconv.Itoa(status)
	route, params, rerr := r.v.route(req)
	if rerr != nil {
		res.Got += ", " + rerr.Error()
		res.Verdict = Fail
		return res
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: r.v.options}
	if c.wantStatus == 0 {
		// A positive case must itself keep the spec, or it proves nothing.
		if cerr, _ := r.checkRequest(ctx, req, body); cerr != nil {
			res.Got += ", but the case's own request breaks the spec: " + cerr.Rule
			res.Verdict = Fail
			return res
		}
	}
	switch {
	case status >= 500:
		res.Got += ", a server error"
		res.Verdict = Fail
		return res
	case status >= 300 && status < 400:
		res.Got += ", a redirect to " + strconv.Quote(truncateRunes(header.Get("Location"), 80)) + " (not followed: the API answers, it does not redirect)"
		res.Verdict = Fail
		return res
	case c.wantStatus == 0 && (status < 200 || status > 299):
		res.Got += ", " + errorMessage(respBody)
		res.Verdict = Fail
		return res
	case c.wantStatus != 0 && (status < 400 || status > 499):
		res.Got += ", the spec wants it refused"
		res.Verdict = Fail
		return res
	case c.wantStatus != 0 && route.Operation.Responses.Status(status) == nil:
		res.Got += ", a status the operation does not document"
		res.Verdict = Fail
		return res
	}
	if cerr := r.v.checkResponse(ctx, in, status, header, respBody); cerr != nil {
		res.Got += ", body breaks the spec: " + cerr.Rule
		res.Verdict = Fail
		return res
	}
	res.Got += ", as specified"
	res.Verdict = Pass
	return res
}

func (r *runner) checkRequest(ctx context.Context, req *http.Request, body []byte) (*ContractError, error) {
	clone := req.Clone(ctx)
	clone.Body = io.NopCloser(bytes.NewReader(body))
	_, cerr, err := r.v.checkRequest(ctx, clone)
	return cerr, err
}

// send is exchange without the request, for discovery.
func (r *runner) send(ctx context.Context, method, path string, body []byte, auth authMode) (int, []byte, error) {
	_, status, b, _, err := r.exchange(ctx, method, path, body, auth)
	return status, b, err
}

func (r *runner) exchange(ctx context.Context, method, path string, body []byte, auth authMode) (*http.Request, int, []byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		return nil, 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch auth {
	case authGood:
		if r.t.OAuthToken != "" {
			req.Header.Set("Authorization", "Bearer "+r.t.OAuthToken)
		} else {
			req.SetBasicAuth(r.t.APIKey, r.t.APISecret)
		}
	case authWrong:
		req.SetBasicAuth(r.t.APIKey+"0", "not-the-secret")
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, 0, nil, nil, err
	}
	data, err := readCapped(resp)
	if err != nil {
		return nil, 0, nil, nil, err
	}
	return req, resp.StatusCode, data, resp.Header, nil
}

// errorMessage is the API's {"error":{"message"}}, for a report line.
func errorMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return strconv.Quote(truncateRunes(e.Error.Message, 80))
	}
	return "no error message"
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
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
