package peopletest

import (
	"net"
	"time"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// Option configures [NewServer]. The hooks [OnViolation] and [OnDrift] are
// options of NewServer, [ValidatingTransport] and [NewProxy] alike.
type Option interface{ applyServer(*config) }

type serverOption func(*config)

func (f serverOption) applyServer(c *config) { f(c) }

type config struct {
	people     []wrapper.Person
	generate   int
	faces      map[string]string
	cloudName  string
	apiKey     string
	apiSecret  string
	oauthToken string
	validate   bool
	allow      func(personID, action string) bool
	rateLimit  int
	hour       time.Duration
	enforce    bool
	listener   net.Listener
	onViolate  func(*ContractError)
	onDrift    func(Drift)
	control    bool
}

// WithPeople seeds the server with these people instead of the default
// cast. People without an ID get one.
func WithPeople(people ...wrapper.Person) Option {
	return serverOption(func(c *config) { c.people = append(c.people, people...) })
}

// WithGeneratedPeople seeds n synthetic people (about one in four unnamed,
// one in ten hidden), for pagination and load tests.
func WithGeneratedPeople(n int) Option {
	return serverOption(func(c *config) { c.generate = n })
}

// WithFace registers that assetID shows personID's face, so it can become
// their thumbnail through UpdatePerson.
func WithFace(personID, assetID string) Option {
	return serverOption(func(c *config) { c.faces[assetID] = personID })
}

// WithCredentials sets the cloud name, API key and secret the server accepts.
func WithCredentials(cloudName, apiKey, apiSecret string) Option {
	return serverOption(func(c *config) { c.cloudName, c.apiKey, c.apiSecret = cloudName, apiKey, apiSecret })
}

// WithOAuthToken makes the server accept this Bearer token as well.
func WithOAuthToken(token string) Option {
	return serverOption(func(c *config) { c.oauthToken = token })
}

// WithPermissions decides the inspect answers; by default every action is
// allowed on every existing person.
func WithPermissions(allow func(personID, action string) bool) Option {
	return serverOption(func(c *config) { c.allow = allow })
}

// WithHourlyLimit makes the server enforce an allowance of calls an hour,
// shared by all its clients as an account's is: past calls calls in the
// current hour, every call answers 420 with Retry-After,
// X-FeatureRateLimit-Remaining: 0 and the reset, until the hour ends.
// Hours start at multiples of hour since the Unix epoch, as the API's
// start on the hour; with hour set to a second, a test runs a job of many
// hours in seconds. Give hour in whole seconds: the reset header has no
// finer precision.
func WithHourlyLimit(calls int, hour time.Duration) Option {
	return serverOption(func(c *config) { c.rateLimit, c.hour, c.enforce = calls, hour, true })
}

// WithListener serves on l instead of a new loopback port, as
// cmd/peoplemock does for a fixed address.
func WithListener(l net.Listener) Option {
	return serverOption(func(c *config) { c.listener = l })
}

// WithControlAPI serves the control API under /_peoplemock/ (see
// [Server.ControlHandler]) next to the People API.
func WithControlAPI() Option {
	return serverOption(func(c *config) { c.control = true })
}

// WithoutValidation turns off the contract check, for benchmarks that
// measure the client alone.
func WithoutValidation() Option {
	return serverOption(func(c *config) { c.validate = false })
}
