package peopletest

// Hook is an option that [NewServer], [ValidatingTransport] and [NewProxy]
// all take, so that the three parts of the kit report alike: each
// violation of the contract to [OnViolation]'s function, and each drift
// finding, once however often it comes, to [OnDrift]'s.
type Hook struct {
	onViolate func(*ContractError)
	onDrift   func(Drift)
}

// OnViolation calls fn for each contract violation, in addition to what
// the part does with it: the fake records it (and fails the test, when it
// got a t), the proxy records it and names it on the answer, the transport
// fails the call with it. Without it, a fake with no t and the proxy print
// violations to stderr.
func OnViolation(fn func(*ContractError)) Hook { return Hook{onViolate: fn} }

// OnDrift calls fn for each new drift finding (see [Drift]): what an
// answer says beyond openapi.yaml, once per operation, location and kind.
// The fake's own answers are made from the spec and show none but those
// of injected faults.
func OnDrift(fn func(Drift)) Hook { return Hook{onDrift: fn} }

func (h Hook) applyServer(c *config) {
	if h.onViolate != nil {
		c.onViolate = h.onViolate
	}
	if h.onDrift != nil {
		c.onDrift = h.onDrift
	}
}

func (h Hook) applyProxy(p *Proxy) {
	if h.onViolate != nil {
		p.onViolate = h.onViolate
	}
	if h.onDrift != nil {
		p.onDrift = h.onDrift
	}
}

func (h Hook) applyTransport(t *validatingTransport) {
	if h.onViolate != nil {
		t.onViolate = h.onViolate
	}
	if h.onDrift != nil {
		t.onDrift = h.onDrift
	}
}
