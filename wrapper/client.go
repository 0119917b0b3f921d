package wrapper

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"iter"
	"net/http"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/cldpeople/cloudinary-people-go/generated"
)

// Version is this SDK's version, sent in the User-Agent.
const Version = "0.1.0"

// maxNameLength is the API's limit, in characters.
const maxNameLength = 255

// Client calls the People Search API. Create it with New; it is safe for
// concurrent use and should be shared.
type Client struct {
	cloudName string
	baseURL   string
	authKind  string
	raw       *generated.Client
	gen       *generated.ClientWithResponses
}

// New builds a Client. Settings not given as options are read from
// CLOUDINARY_URL (or the URL given to WithCloudinaryURL):
//
//	cloudinary://<api_key>:<api_secret>@<cloud_name>?upload_prefix=https://api-eu.cloudinary.com&timeout=30&oauth_token=...
//
// Every error wraps ErrConfig.
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

	hc := &http.Client{Transport: newTransport()}
	if o.httpClient != nil {
		copied := *o.httpClient
		hc = &copied
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
		hc:         hc,
		userAgent:  ua,
		maxRetries: o.maxRetries,
		logger:     o.logger,
	}
	c := &Client{cloudName: s.cloudName, baseURL: s.baseURL.String()}
	if s.oauthToken != "" {
		d.authorization, c.authKind = "Bearer "+s.oauthToken, "oauth"
	} else {
		d.authorization, c.authKind = basicAuth(s.apiKey, s.apiSecret), "basic"
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

// Generated returns the raw generated client, sharing this Client's
// authentication, retries, logging and connections. Use it for whatever
// the wrapper does not cover; its answers are not checked or converted.
func (c *Client) Generated() *generated.ClientWithResponses { return c.gen }

// ListPeople fetches one page of people. Pass the page's NextCursor in the
// next call's options to get the following page, or use AllPeople.
func (c *Client) ListPeople(ctx context.Context, opts ListOptions) (*PeoplePage, error) {
	params, err := opts.params()
	if err != nil {
		return nil, err
	}
	resp, err := c.raw.ListPeople(ctx, c.cloudName, params)
	var out generated.PeoplePage
	rl, err := decode(resp, err, "list people", &out)
	if err != nil {
		return nil, err
	}
	page := &PeoplePage{People: make([]Person, len(out.People)), NextCursor: out.NextCursor, RateLimit: rl}
	for i := range out.People {
		page.People[i] = PersonFromDetails(&out.People[i])
	}
	return page, nil
}

// AllPeople walks every page lazily, keeping opts' filters: a page is
// fetched only when the loop needs it, and none after the loop breaks. On
// an error it yields (Person{}, err) once and stops. A server that repeats
// a cursor would loop forever; AllPeople stops with ErrRepeatedCursor.
func (c *Client) AllPeople(ctx context.Context, opts ListOptions) iter.Seq2[Person, error] {
	return func(yield func(Person, error) bool) {
		// Hashes, not cursors: memory stays small however long the walk.
		seen := map[uint64]struct{}{}
		if opts.NextCursor != "" {
			seen[hashString(opts.NextCursor)] = struct{}{}
		}
		for {
			page, err := c.ListPeople(ctx, opts)
			if err != nil {
				yield(Person{}, err)
				return
			}
			for _, p := range page.People {
				if !yield(p, nil) {
					return
				}
			}
			if page.NextCursor == "" {
				return
			}
			h := hashString(page.NextCursor)
			if _, dup := seen[h]; dup {
				yield(Person{}, fmt.Errorf("%w: %q came back after %d pages", ErrRepeatedCursor, truncate(page.NextCursor, 80), len(seen)))
				return
			}
			seen[h] = struct{}{}
			opts.NextCursor = page.NextCursor
		}
	}
}

// GetPerson reads one person.
func (c *Client) GetPerson(ctx context.Context, personID string) (*Person, error) {
	if err := checkPersonID(personID); err != nil {
		return nil, err
	}
	resp, err := c.raw.GetPerson(ctx, c.cloudName, personID)
	var out generated.PersonEnvelope
	if _, err := decode(resp, err, "get person", &out); err != nil {
		return nil, err
	}
	p := PersonFromDetails(&out.Person)
	return &p, nil
}

// UpdatePerson renames a person, hides or shows them, or changes their
// thumbnail. Only the fields set in u are sent.
func (c *Client) UpdatePerson(ctx context.Context, personID string, u PersonUpdate) (*UpdatedPerson, error) {
	if err := checkPersonID(personID); err != nil {
		return nil, err
	}
	body, err := u.request()
	if err != nil {
		return nil, err
	}
	resp, err := c.raw.UpdatePerson(ctx, c.cloudName, personID, body)
	var out generated.UpdatedPerson
	if _, err := decode(resp, err, "update person", &out); err != nil {
		return nil, err
	}
	up := &UpdatedPerson{ID: out.PersonID, Status: Status(out.Status)}
	if out.Name != nil {
		up.Name = *out.Name
	}
	return up, nil
}

// InspectPeoplePermissions asks which of actions the caller may take on
// each person. Anything the server does not answer is reported as not
// allowed by Permissions.Allowed.
func (c *Client) InspectPeoplePermissions(ctx context.Context, personIDs []string, actions ...string) (Permissions, error) {
	if len(personIDs) == 0 {
		return nil, invalidInput("no person IDs to inspect")
	}
	if len(actions) == 0 {
		return nil, invalidInput("no actions to inspect")
	}
	// The API lets the caller key items by any name; keying by the ID
	// itself makes the answer map straight back.
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
	resp, err := c.raw.InspectPeoplePermissions(ctx, c.cloudName, body)
	var out generated.PermissionsInspection
	if _, err := decode(resp, err, "inspect permissions", &out); err != nil {
		return nil, err
	}
	perms := make(Permissions, len(out.Inspections.Person))
	for key, allowed := range out.Inspections.Person {
		id := key
		if mapped, ok := items[key]; ok {
			id = mapped
		}
		perms[id] = allowed
	}
	return perms, nil
}

// decode turns the generated client's (response, error) into the
// wrapper's: a transport error gets the operation's name, a non-2xx
// status becomes an *APIError, and a 2xx body is decoded into v.
func decode(resp *http.Response, err error, op string, v any) (RateLimit, error) {
	if err != nil {
		return RateLimit{}, fmt.Errorf("people: %s: %w", op, err)
	}
	data, err := bodyBytes(resp)
	if err != nil {
		return RateLimit{}, fmt.Errorf("people: %s: %w: %w", op, ErrNetwork, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return RateLimit{}, newAPIError(resp.StatusCode, resp.Header, data)
	}
	rl := parseRateLimit(resp.Header)
	if err := json.Unmarshal(data, v); err != nil {
		return rl, fmt.Errorf("people: %s: %w (HTTP %d, %s, %d bytes): %v",
			op, ErrMalformedResponse, resp.StatusCode, contentTypeOrNone(resp.Header), len(data), err)
	}
	return rl, nil
}

func contentTypeOrNone(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return truncate(ct, 60)
	}
	return "no Content-Type"
}

func (o ListOptions) params() (*generated.ListPeopleParams, error) {
	p := &generated.ListPeopleParams{}
	if o.MaxResults != 0 {
		if o.MaxResults < 1 || o.MaxResults > 100 {
			return nil, invalidInput("MaxResults %d outside 1..100 (0 means the server default)", o.MaxResults)
		}
		p.MaxResults = &o.MaxResults
	}
	if o.NextCursor != "" {
		p.NextCursor = &o.NextCursor
	}
	if o.NamePrefix != "" {
		p.NamePrefix = &o.NamePrefix
	}
	var err error
	if p.NameStatus, err = enumParam[generated.NameStatus]("NameStatus", string(o.NameStatus), "all, named or unnamed"); err != nil {
		return nil, err
	}
	if p.Status, err = enumParam[generated.PersonStatus]("Status", string(o.Status), statusValues); err != nil {
		return nil, err
	}
	if p.SortBy, err = enumParam[generated.SortBy]("SortBy", string(o.SortBy), "name, created_at or updated_at"); err != nil {
		return nil, err
	}
	if p.Direction, err = enumParam[generated.Direction]("Direction", string(o.Direction), "asc or desc"); err != nil {
		return nil, err
	}
	return p, nil
}

const statusValues = "active or hidden"

// enumParam checks value against the spec's enum (the generated Valid
// method) and returns it as the generated type; "" means not set.
func enumParam[T interface {
	~string
	Valid() bool
}](field, value, want string) (*T, error) {
	if value == "" {
		return nil, nil
	}
	v := T(value)
	if !v.Valid() {
		return nil, invalidInput("%s %q: want %s", field, value, want)
	}
	return &v, nil
}

func (u PersonUpdate) request() (generated.UpdatePersonRequest, error) {
	var r generated.UpdatePersonRequest
	if u == (PersonUpdate{}) {
		return r, invalidInput("empty update: set Name, Status or ThumbnailAssetID")
	}
	if n := utf8.RuneCountInString(u.Name); n > maxNameLength {
		return r, invalidInput("Name is %d characters; the maximum is %d", n, maxNameLength)
	}
	if _, err := enumParam[generated.PersonStatus]("Status", string(u.Status), statusValues); err != nil {
		return r, err
	}
	r.Name = u.Name
	r.Status = generated.PersonStatus(u.Status)
	r.ThumbnailAssetID = u.ThumbnailAssetID
	return r, nil
}

// checkPersonID rejects IDs that would change the request's path: the
// generated client escapes '/', '?' and '#', but "." and ".." are path
// segments of their own that URL resolution would collapse.
func checkPersonID(id string) error {
	switch {
	case id == "":
		return invalidInput("empty person ID")
	case strings.TrimSpace(id) == "":
		return invalidInput("blank person ID")
	case id == "." || id == "..":
		return invalidInput("person ID %q is a path segment, not an ID", id)
	}
	return nil
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
