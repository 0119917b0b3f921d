package specsync

import (
	"fmt"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// facts compares what the code takes from the spec by hand with the spec.
func (c *checker) facts() {
	found := map[string]string{}
	if len(c.doc.Servers) > 0 {
		found["servers.0.url"] = c.doc.Servers[0].URL
	}
	c.eachParameter(func(op string, p *openapi3.Parameter) {
		if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Default != nil && p.In == openapi3.ParameterInQuery {
			found[op+"."+p.Name+".default"] = fmt.Sprint(p.Schema.Value.Default)
		}
	})
	for _, where := range slices.Sorted(maps.Keys(c.s.Facts)) {
		have, want := c.s.Facts[where], found[where]
		if have != want {
			c.add("fact", "openapi.yaml has %s = %q but the wrapper takes it to be %q: change the wrapper's constant (see internal/specsync's WrapperSurface) to match", where, want, have)
		}
	}
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			for _, status := range c.s.RateLimitStatuses {
				if op.Responses.Value(status) == nil {
					c.add("fact", "operation %s does not document %s, which the wrapper retries and reports as ErrRateLimited: document it, or change the wrapper's rate-limit statuses", op.OperationID, status)
				}
			}
		}
	}
}

// retries fails for an operation the wrapper may not send twice: it
// retries every call, and the proxy forwards reads without AllowWrites.
// An idempotent method (apirules.Idempotent) may be sent again; any other
// must be marked x-read-only: true, saying that it changes nothing.
func (c *checker) retries() {
	for _, path := range slices.Sorted(maps.Keys(c.doc.Paths.Map())) {
		item := c.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			if ro, _ := op.Extensions["x-read-only"].(bool); apirules.Idempotent(method) || ro {
				continue
			}
			c.add("retry", "operation %s (%s %s) is not safe to retry, but the wrapper retries every call: mark it x-read-only: true if it changes nothing, or make wrapper/retry.go's safeToRetry leave it alone", op.OperationID, method, path)
		}
	}
}
