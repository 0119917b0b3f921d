package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/generated"
	"github.com/cldpeople/cloudinary-people-go/internal/redact"
)

// Version is this SDK's version, sent in the User-Agent.
const Version = "0.1.0"

// Limits of the API that the wrapper checks before sending anything. The
// spec-to-wrapper sync check (internal/specsync) fails when openapi.yaml
// says otherwise.
const (
	MinPageSize   = 1   // the smallest ListOptions.MaxResults the API accepts
	MaxPageSize   = 100 // the largest ListOptions.MaxResults the API accepts
	MaxNameLength = 255 // the longest PersonUpdate.Name, in characters
	// ServerPageSize is how many people the API returns a page when
	// ListOptions.MaxResults is 0 (openapi.yaml's default for max_results).
	ServerPageSize = 50
)

// Client calls the People Search API. Create it with [New]; it is safe for
// concurrent use and should be shared.
type Client struct {
	cloudName string
	baseURL   string
	authKind  string
	raw       *generated.Client
	gen       *generated.ClientWithResponses
	// owned is the transport New made, which Close releases; nil when the
	// caller gave an http.Client, whose connections are theirs to manage.
	owned *http.Transport
	doer  *doer
	call  callOptions // a view's options (With); zero for a Client New made
}

// New builds a Client. Settings not given as options are read from
// CLOUDINARY_URL (or the URL given to [WithCloudinaryURL]):
//
//	cloudinary://<api_key>:<api_secret>@<cloud_name>?upload_prefix=https://api-eu.cloudinary.com&timeout=30&oauth_token=...
//
// Every error wraps [ErrConfig].
func New(opts ...Option) (*Client, error) {
	o := options{maxRetries: DefaultMaxRetries}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	s, err := resolve(&o)
	if err != nil {
		return nil, err
	}

	var owned *http.Transport
	var hc *http.Client
	if o.httpClient != nil {
		copied := *o.httpClient
		hc = &copied
	} else {
		owned = newTransport()
		hc = &http.Client{Transport: owned}
	}
	hc.CheckRedirect = sameOrigin(hc.CheckRedirect)
	// http.Client.Timeout bounds one attempt, body included, for less than
	// a context per attempt costs. A caller's own client keeps its timeout
	// unless one was asked for.
	if o.httpClient == nil || o.timeout != nil || hc.Timeout == 0 {
		hc.Timeout = s.timeout
	}

	ua := fmt.Sprintf("cloudinary-people-go/%s (%s; %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if o.userAgent != "" {
		ua += " " + o.userAgent
	}
	d := &doer{
		hc:               hc,
		userAgent:        []string{ua},
		maxRetries:       o.maxRetries,
		logger:           o.logger,
		waitForRateLimit: o.waitForRateLimit,
		onWait:           o.onWait,
		allowance:        o.allowance,
		reserve:          o.reserve,
		observers:        o.observers,
	}
	if d.allowance == nil {
		d.allowance = &latestAnswer{}
	}
	c := &Client{cloudName: s.cloudName, baseURL: s.baseURL.String(), owned: owned, doer: d}
	if s.oauthToken != "" {
		d.authorize, c.authKind = authorizer("Bearer "+s.oauthToken), "oauth"
		d.scrub = redact.New("Bearer "+s.oauthToken, s.oauthToken)
	} else {
		value := basicAuth(s.apiKey, s.apiSecret)
		d.authorize, c.authKind = authorizer(value), "basic"
		d.scrub = redact.New(redact.Basic(s.apiKey, s.apiSecret)...)
	}

	c.raw, err = generated.NewClient(c.baseURL, generated.WithHTTPClient(d))
	if err != nil {
		return nil, configError("base URL: %v", err)
	}
	c.gen = &generated.ClientWithResponses{ClientInterface: c.raw}
	return c, nil
}

// String describes the client without its credentials, so printing a
// Client (or a struct holding one) cannot leak them.
func (c *Client) String() string {
	return fmt.Sprintf("wrapper.Client{cloud: %q, baseURL: %q, auth: %s}", c.cloudName, c.baseURL, c.authKind)
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// RateLimit is the latest hourly allowance any call on this Client saw
// (through Generated() too), from the X-FeatureRateLimit-* headers. Before
// the first answer that carried them it is the zero RateLimit, whose Known
// method reports false. It is safe to call from several goroutines.
func (c *Client) RateLimit() RateLimit { return c.doer.rate.get() }

// CloudName is the product environment this Client calls, however it was
// configured; calls through Generated() need it.
func (c *Client) CloudName() string { return c.cloudName }

// Close releases the idle connections of the transport [New] made, so that
// their goroutines end now rather than after the idle timeout. A transport
// that came with WithHTTPClient is left alone. Like
// http.Client.CloseIdleConnections, Close does not end the Client: a later
// call opens a new connection. Close always returns nil.
func (c *Client) Close() error {
	if c.owned != nil {
		c.owned.CloseIdleConnections()
	}
	return nil
}

// Generated returns the raw generated client, sharing this Client's
// authentication, retries, logging and connections. Use it for whatever
// the wrapper does not cover; its answers are not checked or converted.
func (c *Client) Generated() *generated.ClientWithResponses { return c.gen }

// send returns a function that sends a request the generated builders
// made, with ctx and the view's options: the path every operation takes
// (see call.go).
func (c *Client) send(ctx context.Context, op string) func(*http.Request, error) (*result, error) {
	return func(req *http.Request, err error) (res *result, _ error) {
		if err != nil {
			return nil, invalidInput("%v", err)
		}
		if err := c.call.check(); err != nil {
			return nil, err
		}
		if c.call.timeout != nil {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, *c.call.timeout)
			defer cancel()
		}
		ctx, end := c.doer.observers.call(ctx, op)
		res, err = c.doer.send(req.WithContext(c.call.into(ctx)))
		if res != nil && c.call.respInto != nil {
			*c.call.respInto = res.response(req)
		}
		switch {
		case end == nil:
		case err == nil && (res.status < 200 || res.status > 299):
			end(newAPIError(res.status, res.header, res.body, res.rateLimit))
		default:
			end(err)
		}
		return res, err
	}
}

// ListPeople fetches one page of people. Pass the page's NextCursor in the
// next call's options to get the following page, or use [Client.AllPeople].
func (c *Client) ListPeople(ctx context.Context, opts ListOptions) (*PeoplePage, error) {
	const op = "ListPeople"
	params, err := opts.params()
	if err != nil {
		return nil, withOp(op, err)
	}
	res, err := c.send(ctx, op)(generated.NewListPeopleRequest(c.raw.Server, c.cloudName, params))
	var out struct {
		People     []personWire `json:"people"`
		NextCursor string       `json:"next_cursor"`
	}
	rl, err := decode(res, err, &out, func([]byte) string {
		if out.People == nil {
			return `no "people" list`
		}
		return ""
	})
	if err != nil {
		return nil, withOp(op, err)
	}
	page := &PeoplePage{People: make([]Person, len(out.People)), NextCursor: out.NextCursor, RateLimit: rl}
	for i := range out.People {
		page.People[i] = out.People[i].value()
	}
	// What openapi.yaml does not declare is kept, in one more pass over
	// the answer that allocates only for what it keeps.
	eachMember(res.body, func(key, value []byte) {
		if string(key) == "people" {
			eachElement(value, func(i int, person []byte) {
				if i < len(page.People) {
					page.People[i].keepUndeclared(person)
				}
			})
		}
	})
	return page, nil
}

// GetPerson reads one person.
func (c *Client) GetPerson(ctx context.Context, personID string) (*Person, error) {
	const op = "GetPerson"
	if err := checkPersonID(personID); err != nil {
		return nil, withOp(op, err)
	}
	res, err := c.send(ctx, op)(generated.NewGetPersonRequest(c.raw.Server, c.cloudName, personID))
	var out struct {
		Person personWire `json:"person"`
	}
	if _, err := decode(res, err, &out, func([]byte) string {
		if out.Person.ID == "" {
			return `no "person" with an "id"`
		}
		return ""
	}); err != nil {
		return nil, withOp(op, err)
	}
	p := out.Person.model()
	eachMember(res.body, func(key, value []byte) {
		if string(key) == "person" {
			p.keepUndeclared(value)
		}
	})
	return p, nil
}

// UpdatePerson renames a person, hides or shows them, or changes their
// thumbnail. Only the fields set in u are sent.
func (c *Client) UpdatePerson(ctx context.Context, personID string, u PersonUpdate) (*UpdatedPerson, error) {
	const op = "UpdatePerson"
	if err := checkPersonID(personID); err != nil {
		return nil, withOp(op, err)
	}
	if err := u.Validate(); err != nil {
		return nil, withOp(op, err)
	}
	// PersonUpdate is generated with the API's names, so a property added
	// to the spec is sent with no line here.
	body, err := json.Marshal(u)
	if err != nil {
		return nil, withOp(op, invalidInput("%v", err))
	}
	res, err := c.send(ctx, op)(generated.NewUpdatePersonRequestWithBody(c.raw.Server, c.cloudName, personID, "application/json", bytes.NewReader(body)))
	var out updatedPersonWire
	if _, err := decode(res, err, &out, func([]byte) string {
		if out.ID == "" {
			return `no "person_id"`
		}
		return ""
	}); err != nil {
		return nil, withOp(op, err)
	}
	up := out.model()
	up.keepUndeclared(res.body)
	return up, nil
}

// InspectPeoplePermissions asks which of actions the caller may take on
// each person, for example whether they may read and update them:
//
//	perms, err := client.InspectPeoplePermissions(ctx, []string{id}, "read", "update")
//	if err == nil && perms.Allowed(id, "update") { ... }
//
// The action names are the API's ("read" and "update" in its own
// example). Anything the server does not answer is reported as not
// allowed by [Permissions.Allowed].
func (c *Client) InspectPeoplePermissions(ctx context.Context, personIDs []string, actions ...string) (Permissions, error) {
	perms, err := c.inspect(ctx, personIDs, actions)
	return perms, withOp("InspectPeoplePermissions", err)
}

func (c *Client) inspect(ctx context.Context, personIDs []string, actions []string) (Permissions, error) {
	if len(personIDs) == 0 {
		return nil, invalidInput("no person IDs to inspect")
	}
	if len(actions) == 0 {
		return nil, invalidInput("no actions to inspect")
	}
	// The API lets the caller key items by any name; keying by the ID
	// itself makes the answer's keys the IDs.
	items := make(map[string]string, len(personIDs))
	for _, id := range personIDs {
		if err := checkPersonID(id); err != nil {
			return nil, err
		}
		items[id] = id
	}
	acts := make(map[string]any, len(actions))
	for _, a := range actions {
		if strings.TrimSpace(a) == "" {
			return nil, invalidInput("empty action name")
		}
		acts[a] = map[string]any{}
	}
	body := generated.InspectPermissionsRequest{
		Inspections: generated.InspectPermissionsRequest_Inspections{
			Person: generated.PersonInspection{Items: items, Actions: acts},
		},
	}
	res, err := c.send(ctx, "InspectPeoplePermissions")(generated.NewInspectPeoplePermissionsRequest(c.raw.Server, c.cloudName, body))
	var out generated.PermissionsInspection
	if _, err := decode(res, err, &out, func(data []byte) string {
		// The generated type cannot tell a missing "inspections" from an
		// empty one; this second look costs little on a rare call.
		var probe struct {
			Inspections json.RawMessage `json:"inspections"`
		}
		if json.Unmarshal(data, &probe) != nil || len(probe.Inspections) == 0 || string(probe.Inspections) == "null" {
			return `no "inspections"`
		}
		return ""
	}); err != nil {
		return nil, err
	}
	perms := make(Permissions, len(out.Inspections.Person))
	for id, allowed := range out.Inspections.Person {
		perms[id] = allowed
	}
	return perms, nil
}
