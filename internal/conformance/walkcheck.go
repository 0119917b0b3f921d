package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
	"github.com/cldpeople/cloudinary-people-go/internal/contract"
)

// DefaultWalkCalls is the calls the walk cases of a [Run] make in all
// when the target sets no budget.
const DefaultWalkCalls = 50

// walkShape is a walk whose answers are checked for what a pager must
// never do: a person twice, an order broken inside a page or across a
// boundary, a person outside the filters, a person missing next to the
// same walk at the largest page size.
type walkShape struct {
	name                   string
	query                  url.Values // the sort and filter of the walk
	sortBy, direction      string     // "" when the walk keeps the defaults
	cursorParam, sizeParam string
	small, large           string   // page sizes: the spec's bounds
	statuses               []string // the spec's person statuses
}

// walkShapes: each sort field in each direction, and each value of each
// filter (and the name prefix, once the target's data suggests one).
func walkShapes(params openapi3.Parameters, cursorParam, sizeParam, small string) []*walkShape {
	var sortParam, dirParam, large string
	var filters []*openapi3.Parameter
	for _, ref := range params {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery || p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		switch {
		case p.Name == sizeParam && p.Schema.Value.Max != nil:
			large = num(*p.Schema.Value.Max)
		case p.Name == "sort_by":
			sortParam = p.Name
		case p.Name == "direction":
			dirParam = p.Name
		case len(p.Schema.Value.Enum) > 0 || p.Name == "name_prefix":
			filters = append(filters, p)
		}
	}
	if sortParam == "" || large == "" {
		return nil
	}
	// Two a page at least, so that a page has an inside to be out of
	// order, and a boundary every two people.
	if mustInt(small) < 2 && mustInt(large) >= 2 {
		small = "2"
	}
	base := walkShape{cursorParam: cursorParam, sizeParam: sizeParam, small: small, large: large, statuses: enumValues(params, "status")}
	var out []*walkShape
	sortValues, dirValues := enumValues(params, sortParam), enumValues(params, dirParam)
	for _, sortBy := range sortValues {
		for _, dir := range dirValues {
			w := base
			w.sortBy, w.direction = sortBy, dir
			w.query = url.Values{sortParam: {sortBy}, dirParam: {dir}}
			w.name = fmt.Sprintf("walk %s=%s %s=%s: no one twice, in order, none missing", sortParam, sortBy, dirParam, dir)
			out = append(out, &w)
		}
	}
	for _, f := range filters {
		values := enumValues(params, f.Name)
		if len(values) == 0 {
			values = []string{prefixFixture} // from the target's data
		}
		for _, v := range values {
			w := base
			w.query = url.Values{f.Name: {v}}
			w.name = fmt.Sprintf("walk %s=%s: every person matches, none missing", f.Name, v)
			if v == prefixFixture {
				w.name = fmt.Sprintf("walk %s (a target's name's first letter): every person matches, none missing", f.Name)
			}
			out = append(out, &w)
		}
	}
	return out
}

func enumValues(params openapi3.Parameters, name string) []string {
	for _, ref := range params {
		if p := ref.Value; p != nil && p.Name == name && p.Schema != nil && p.Schema.Value != nil {
			var out []string
			for _, v := range p.Schema.Value.Enum {
				out = append(out, fmt.Sprint(v))
			}
			return out
		}
	}
	return nil
}

// prefixFixture stands for a name prefix taken from the target's people.
const prefixFixture = "{name_prefix}"

// walkedPerson is what the checks read of a person.
type walkedPerson struct {
	ID        string  `json:"id"`
	Name      *string `json:"name"`
	Status    string  `json:"status"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
}

type walkedPage struct {
	People     []walkedPerson `json:"people"`
	NextCursor *string        `json:"next_cursor"`
}

// runShape walks at the smallest page size for up to calls-1 pages, and
// once at the largest, and judges the answers.
func (r *runner) runShape(ctx context.Context, c confCase, res Result, calls int) (Result, []contract.Drift) {
	w := c.shape
	res.Expected = "2xx pages: no one twice, in order across pages, every person matching, the same people as at " + w.large + " a page"
	query := url.Values{}
	for k, v := range w.query {
		query[k] = v
	}
	if query.Get("name_prefix") == prefixFixture {
		prefix, ok := r.fixtures["name_prefix"].(string)
		if !ok {
			res.Got, res.Verdict = "no named person on the target to take a prefix from", Skip
			return res, nil
		}
		query.Set("name_prefix", prefix)
	}
	base := strings.ReplaceAll(c.path, "{cloud_name}", url.PathEscape(r.t.CloudName))
	var drift []contract.Drift
	get := func(size, cursor string) (*walkedPage, string) {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set(w.sizeParam, size)
		if cursor != "" {
			q.Set(w.cursorParam, cursor)
		}
		x, err := r.send(ctx, c.method, base+"?"+q.Encode(), nil, authGood)
		if err != nil {
			return nil, "no answer: " + err.Error()
		}
		got, passed, d := r.judge(ctx, c, x)
		drift = append(drift, d...)
		if !passed {
			return nil, fmt.Sprintf("%d%s", x.status, got)
		}
		var page walkedPage
		if err := json.Unmarshal(x.answer, &page); err != nil {
			return nil, "a page that does not decode: " + err.Error()
		}
		return &page, ""
	}

	large, fail := get(w.large, "")
	if fail != "" {
		res.Got, res.Verdict = fail, Fail
		return res, drift
	}
	var pages [][]walkedPerson
	cursor := ""
	for range max(calls-1, 1) {
		page, fail := get(w.small, cursor)
		if fail != "" {
			res.Got, res.Verdict = fmt.Sprintf("page %d: %s", len(pages)+1, fail), Fail
			return res, drift
		}
		pages = append(pages, page.People)
		if page.NextCursor == nil || *page.NextCursor == "" {
			break
		}
		cursor = *page.NextCursor
	}
	if problem := checkWalk(w, query, pages, large.People); problem != "" {
		res.Got, res.Verdict = problem, Fail
		return res, drift
	}
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	if n == 0 {
		res.Got, res.Verdict = "200, no person on the target matches this walk", Skip
		return res, drift
	}
	res.Got = fmt.Sprintf("200, %d people over %d pages of %s: no one twice, in order, all matching, as at %s a page", n, len(pages), w.small, w.large)
	res.Verdict = Pass
	return res, drift
}

// checkWalk says what the first broken invariant is, or "".
func checkWalk(w *walkShape, query url.Values, pages [][]walkedPerson, large []walkedPerson) string {
	seen := map[string]int{}
	var all []walkedPerson
	for i, page := range pages {
		for j, p := range page {
			if first, dup := seen[p.ID]; dup {
				return fmt.Sprintf("person %s twice: on page %d and again on page %d", apirules.Cut(p.ID, 80), first, i+1)
			}
			seen[p.ID] = i + 1
			if why := mismatch(w, p, query); why != "" {
				return fmt.Sprintf("page %d, person %d (%s) does not match the filter: %s", i+1, j+1, apirules.Cut(p.ID, 80), why)
			}
			if len(all) > 0 {
				if why := outOfOrder(w, all[len(all)-1], p); why != "" {
					where := fmt.Sprintf("inside page %d", i+1)
					if j == 0 {
						where = fmt.Sprintf("across the boundary of pages %d and %d", i, i+1)
					}
					return fmt.Sprintf("out of order %s: %s", where, why)
				}
			}
			all = append(all, p)
		}
	}
	for j, p := range large {
		if why := mismatch(w, p, query); why != "" {
			return fmt.Sprintf("at %s a page, person %d (%s) does not match the filter: %s", w.large, j+1, apirules.Cut(p.ID, 80), why)
		}
	}
	// The walk at the smallest size must hold exactly the people the
	// largest page starts with, in the same order.
	n := min(len(all), len(large))
	for i := range n {
		if all[i].ID == large[i].ID {
			continue
		}
		if _, ok := seen[large[i].ID]; !ok {
			return fmt.Sprintf("person %s is missing: person %d at %s a page, but never came at %s a page", apirules.Cut(large[i].ID, 80), i+1, w.large, w.small)
		}
		return fmt.Sprintf("the walk at %s a page disagrees with %s a page at person %d (%s, not %s)", w.small, w.large, i+1, apirules.Cut(all[i].ID, 80), apirules.Cut(large[i].ID, 80))
	}
	if len(all) > len(large) && len(large) < mustInt(w.large) {
		return fmt.Sprintf("%d people at %s a page, but only %d in one page of %s", len(all), w.small, len(large), w.large)
	}
	return ""
}

// mismatch says how p breaks the walk's filters, or "". A status the spec
// does not know is drift, which fails no case: a new status may well be a
// kind of the one asked for.
func mismatch(w *walkShape, p walkedPerson, query url.Values) string {
	name := ""
	if p.Name != nil {
		name = *p.Name
	}
	if s := query.Get("status"); s != "" && p.Status != s && slices.Contains(w.statuses, p.Status) {
		return fmt.Sprintf("status %q under status=%s", p.Status, s)
	}
	switch query.Get("name_status") {
	case "named":
		if name == "" {
			return "unnamed under name_status=named"
		}
	case "unnamed":
		if name != "" {
			return fmt.Sprintf("named %q under name_status=unnamed", apirules.Cut(name, 80))
		}
	}
	if prefix := query.Get("name_prefix"); prefix != "" {
		if len(name) < len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) {
			return fmt.Sprintf("name %q under name_prefix=%s", apirules.Cut(name, 80), prefix)
		}
	}
	return ""
}

// outOfOrder says how a and b, in that order, break the walk's sort, or
// "". Equal keys may come in any order; a person without the key (an
// unnamed one under sort_by=name) is not compared.
func outOfOrder(w *walkShape, a, b walkedPerson) string {
	sortBy := w.sortBy
	if sortBy == "" {
		return ""
	}
	var c int
	var ka, kb string
	switch sortBy {
	case "name":
		if a.Name == nil || b.Name == nil || *a.Name == "" || *b.Name == "" {
			return ""
		}
		ka, kb = *a.Name, *b.Name
		c = apirules.CompareNames(ka, kb)
	case "created_at", "updated_at":
		ka, kb = a.CreatedAt, b.CreatedAt
		if sortBy == "updated_at" {
			ka, kb = a.UpdatedAt, b.UpdatedAt
		}
		ta, errA := time.Parse(time.RFC3339Nano, ka)
		tb, errB := time.Parse(time.RFC3339Nano, kb)
		if errA != nil || errB != nil {
			return ""
		}
		c = ta.Compare(tb)
	default:
		return ""
	}
	if (w.direction == "desc" && c < 0) || (w.direction != "desc" && c > 0) {
		return fmt.Sprintf("%s %q came before %q under %s %s", sortBy, apirules.Cut(ka, 80), apirules.Cut(kb, 80), sortBy, w.direction)
	}
	return ""
}

func mustInt(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}
