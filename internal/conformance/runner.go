package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// runner sends cases to a target.
type runner struct {
	v        *contract.Validator
	hc       *http.Client
	t        Target
	base     string
	fixtures map[string]any   // from discover
	scrub    *redact.Scrubber // the target's credentials
	// walkCalls is what each walk case may spend of the target's budget.
	walkCalls int
}

// exchange is one call of a case and its answer.
type exchange struct {
	req    *http.Request
	body   []byte // the request body sent
	status int
	header http.Header
	answer []byte
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
	list := strings.ReplaceAll(r.v.PathOf("listPeople"), "{cloud_name}", url.PathEscape(r.t.CloudName))
	x, err := r.send(ctx, http.MethodGet, list+"?max_results=100", nil, authGood)
	if err != nil || x.status != http.StatusOK || json.Unmarshal(x.answer, &page) != nil {
		return
	}
	if page.NextCursor != nil && *page.NextCursor != "" {
		r.fixtures["next_cursor"] = *page.NextCursor
	} else if c := r.cursor(ctx, list+"?max_results=1"); c != "" {
		// A smaller page for a cursor to continue from.
		r.fixtures["next_cursor"] = c
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
		first, _ := utf8.DecodeRuneInString(*p.Name)
		r.fixtures["name_prefix"] = string(first)
	}
	if p.Status != "" {
		r.fixtures["status"] = p.Status
	}
	if p.Thumbnail.AssetID != "" {
		r.fixtures["thumbnail_asset_id"] = p.Thumbnail.AssetID
	}
}

// cursor is the next_cursor of a 200 answer to GET pathAndQuery, or "".
func (r *runner) cursor(ctx context.Context, pathAndQuery string) string {
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	x, err := r.send(ctx, http.MethodGet, pathAndQuery, nil, authGood)
	if err != nil || x.status != http.StatusOK || json.Unmarshal(x.answer, &page) != nil || page.NextCursor == nil {
		return ""
	}
	return *page.NextCursor
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

// run sends one case and judges the answer.
func (r *runner) run(ctx context.Context, c confCase) (Result, []contract.Drift) {
	res := Result{Operation: c.op, Case: c.name, Expected: "2xx, body as specified"}
	if c.wantStatus != 0 {
		res.Expected = fmt.Sprintf("documented 4xx (%d), error schema", c.wantStatus)
	}
	if c.walk != nil {
		return r.runWalk(ctx, c, res)
	}
	if c.shape != nil {
		return r.runShape(ctx, c, res, r.walkCalls)
	}
	target, body, skip := r.request(c)
	if skip != "" {
		res.Got, res.Verdict = skip, Skip
		return res, nil
	}
	x, err := r.sendCase(ctx, c, target, body)
	if err != nil {
		res.Got, res.Verdict = "no answer: "+err.Error(), Fail
		return res, nil
	}
	got, passed, drift := r.judge(ctx, c, x)
	res.Got = strconv.Itoa(x.status) + got
	res.Verdict = Pass
	if !passed {
		res.Verdict = Fail
	}
	return res, drift
}

// request fills a case's path, query and body from the target's data; skip
// says why it cannot be sent.
func (r *runner) request(c confCase) (target string, body []byte, skip string) {
	target = c.path
	for _, name := range []string{"cloud_name", "person_id"} {
		if !strings.Contains(target, "{"+name+"}") {
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
				return "", nil, "no person on the target to use"
			}
			val = id
		}
		target = strings.ReplaceAll(target, "{"+name+"}", url.PathEscape(val))
	}
	q := url.Values{}
	for k, vs := range c.query {
		q[k] = vs
	}
	for param, name := range c.queryFixture {
		f, ok := r.fixtures[name].(string)
		if !ok {
			return "", nil, "the target gave no " + name
		}
		q.Set(param, f)
	}
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if c.body != nil {
		resolved, missing := r.resolve(c.body)
		if missing != "" {
			return "", nil, "no known valid " + missing + " on the target"
		}
		body, _ = json.Marshal(resolved)
	}
	return target, body, ""
}

// judge says what came and whether the case passed, and what the answer
// said beyond the spec.
func (r *runner) judge(ctx context.Context, c confCase, x *exchange) (got string, passed bool, drift []contract.Drift) {
	route, params, err := r.v.Route(x.req)
	if err != nil {
		return ", " + err.Error(), false, nil
	}
	if c.wantStatus == 0 {
		// A positive case must itself keep the spec, or it proves nothing.
		if cerr, _ := r.checkRequest(ctx, x.req, x.body); cerr != nil {
			return ", but the case's own request breaks the spec: " + cerr.Rule, false, nil
		}
	}
	status := x.status
	switch {
	case status >= 500:
		return ", a server error", false, nil
	case status >= 300 && status < 400:
		return ", a redirect to " + strconv.Quote(apirules.Cut(r.scrub.String(x.header.Get("Location")), 80)) + " (not followed: the API answers, it does not redirect)", false, nil
	case c.wantStatus == 0 && (status < 200 || status > 299):
		return ", " + errorMessage(x.answer), false, nil
	case c.wantStatus != 0 && (status < 400 || status > 499):
		return ", the spec wants it refused", false, nil
	case c.wantStatus != 0 && route.Operation.Responses.Status(status) == nil:
		return ", a status the operation does not document", false, nil
	}
	in := r.v.Input(x.req, route, params)
	cerr, drift := r.v.CheckResponse(ctx, in, status, x.header, x.answer)
	if cerr != nil {
		return ", body breaks the spec: " + cerr.Rule, false, drift
	}
	return ", as specified", true, drift
}

// runWalk checks that a cursor alone continues a filtered walk: the page
// after it must be the same with the cursor alone as with the cursor and
// the walk's filters repeated.
func (r *runner) runWalk(ctx context.Context, c confCase, res Result) (Result, []contract.Drift) {
	res.Expected = "2xx, the same page as with the filters repeated"
	base := strings.ReplaceAll(c.path, "{cloud_name}", url.PathEscape(r.t.CloudName))
	// The fullest combination of filters that still has a second page.
	for _, filters := range c.walk.combinations() {
		q := url.Values{}
		for _, f := range filters {
			q.Set(f[0], f[1])
		}
		q.Set(c.walk.sizeParam, c.walk.size)
		cur := r.cursor(ctx, base+"?"+q.Encode())
		if cur == "" {
			continue
		}
		alone := url.Values{c.walk.cursorParam: {cur}, c.walk.sizeParam: {c.walk.size}}
		x, err := r.send(ctx, c.method, base+"?"+alone.Encode(), nil, authGood)
		if err != nil {
			res.Got, res.Verdict = "no answer: "+err.Error(), Fail
			return res, nil
		}
		got, passed, drift := r.judge(ctx, c, x)
		res.Got = strconv.Itoa(x.status) + got
		if !passed {
			res.Verdict = Fail
			return res, drift
		}
		q.Set(c.walk.cursorParam, cur)
		repeated, err := r.send(ctx, c.method, base+"?"+q.Encode(), nil, authGood)
		switch {
		case err != nil || repeated.status != http.StatusOK:
			res.Got += " alone; with the filters repeated, no 200 to compare with"
			res.Verdict = Fail
		case !bytes.Equal(normalizeJSON(x.answer), normalizeJSON(repeated.answer)):
			res.Got += fmt.Sprintf(" alone, but not the page the filters (%s) give with it", q.Encode())
			res.Verdict = Fail
		default:
			res.Got = fmt.Sprintf("200, the same page as with %s repeated", strings.Join(keys(filters), ", "))
			res.Verdict = Pass
		}
		return res, drift
	}
	res.Got, res.Verdict = "no filtered walk on the target has a second page", Skip
	return res, nil
}

func keys(pairs [][2]string) []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p[0]
	}
	return out
}

// normalizeJSON re-encodes a body, so that two equal answers compare equal
// whatever their spacing.
func normalizeJSON(b []byte) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	out, _ := json.Marshal(v)
	return out
}

func (r *runner) checkRequest(ctx context.Context, req *http.Request, body []byte) (*contract.Error, error) {
	clone := req.Clone(ctx)
	clone.Body = io.NopCloser(bytes.NewReader(body))
	_, cerr, err := r.v.CheckRequest(ctx, clone)
	return cerr, err
}

// sendCase sends a case's request. A case that breaks the contract on
// purpose says so with the probe header, so that a fake in a test records
// the break as intended rather than failing the test.
func (r *runner) sendCase(ctx context.Context, c confCase, target string, body []byte) (*exchange, error) {
	if c.wantStatus == 0 {
		return r.send(ctx, c.method, target, body, c.auth)
	}
	return r.send(ctx, c.method, target, body, c.auth, contract.ProbeHeader, "conformance: "+c.name)
}

// send makes one call with the chosen credentials and reads the answer
// within the wrapper's caps.
func (r *runner) send(ctx context.Context, method, pathAndQuery string, body []byte, auth authMode, header ...string) (*exchange, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+pathAndQuery, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
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
		return nil, err
	}
	defer resp.Body.Close()
	data, over, err := contract.ReadCapped(resp.Body, contract.BodyLimit(resp.StatusCode))
	switch {
	case err != nil:
		return nil, err
	case over:
		return nil, fmt.Errorf("%w: HTTP %d answer over %d bytes", contract.ErrBodyTooLarge, resp.StatusCode, contract.BodyLimit(resp.StatusCode))
	}
	// Scrubbed before anything reads it: an answer that echoes the
	// credentials must not carry them into a report line cut short.
	return &exchange{req: req, body: body, status: resp.StatusCode, header: resp.Header, answer: r.scrub.Bytes(data)}, nil
}

// errorMessage is the API's {"error":{"message"}}, for a report line.
func errorMessage(body []byte) string {
	if m := apirules.ErrorMessage(body); m != "" {
		return strconv.Quote(apirules.Cut(m, 80))
	}
	return "no error message"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
