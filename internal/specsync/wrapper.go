package specsync

import (
	"reflect"
	"strconv"

	"github.com/cldpeople/cloudinary-people-go/wrapper"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// WrapperSurface reads the surface of package wrapper, whose source is in
// dir (for the enum constants).
func WrapperSurface(dir string) (Surface, error) {
	enums, err := EnumConstants(dir)
	if err != nil {
		return Surface{}, err
	}
	var methods []string
	ct := reflect.TypeFor[*wrapper.Client]()
	for i := range ct.NumMethod() {
		methods = append(methods, ct.Method(i).Name)
	}
	s := Surface{
		Enums:   enums,
		Methods: methods,
		Types: map[string]reflect.Type{
			"Person":        reflect.TypeFor[wrapper.Person](),
			"Thumbnail":     reflect.TypeFor[wrapper.Thumbnail](),
			"BoundingBox":   reflect.TypeFor[wrapper.BoundingBox](),
			"PeoplePage":    reflect.TypeFor[wrapper.PeoplePage](),
			"UpdatedPerson": reflect.TypeFor[wrapper.UpdatedPerson](),
			"Permissions":   reflect.TypeFor[wrapper.Permissions](),
		},
		Bounds: map[string]float64{
			"listPeople.max_results.minimum":     wrapper.MinPageSize,
			"listPeople.max_results.maximum":     wrapper.MaxPageSize,
			"UpdatePersonRequest.name.maxLength": wrapper.MaxNameLength,
			// PersonUpdate.Name "" means unchanged: an empty name is never sent.
			"UpdatePersonRequest.name.minLength": 1,
			// PersonUpdate{} is refused as an empty update.
			"UpdatePersonRequest.minProperties": 1,
			// InspectPeoplePermissions refuses no IDs and no actions.
			"PersonInspection.items.minProperties":   1,
			"PersonInspection.actions.minProperties": 1,
			// New refuses an empty cloud name, every method an empty ID.
			"path.cloud_name.minLength": 1,
			"path.person_id.minLength":  1,
		},
		Facts: map[string]string{
			"servers.0.url":                  wrapper.DefaultBaseURL,
			"listPeople.max_results.default": strconv.Itoa(wrapper.ServerPageSize),
		},
		RateLimitStatuses: rateLimitStatuses(),
	}
	return s, nil
}

// WrapperExpectations is how package wrapper mirrors openapi.yaml.
var WrapperExpectations = Expectations{
	EnumTypes: map[string]string{
		"PersonStatus": "Status",
		"NameStatus":   "NameStatus",
		"SortBy":       "SortBy",
		"Direction":    "Direction",
	},
	Methods: map[string]string{
		"listPeople":               "ListPeople",
		"getPerson":                "GetPerson",
		"updatePerson":             "UpdatePerson",
		"inspectPeoplePermissions": "InspectPeoplePermissions",
	},
	Surfaced: map[string]string{
		"PeoplePage.people":                        "PeoplePage.People",
		"PeoplePage.next_cursor":                   "PeoplePage.NextCursor",
		"PersonEnvelope.person":                    "Person",
		"PermissionsInspection.inspections":        "Permissions",
		"PermissionsInspection.inspections.Person": "Permissions",
	},
	Models: map[string]string{
		"PersonDetails": "Person",
		"Thumbnail":     "Thumbnail",
		"UpdatedPerson": "UpdatedPerson",
	},
	LeftOut: map[string]string{
		"PermissionsInspection.message": `always "ok" on success; a failure answers a non-2xx status, which is an *APIError`,
	},
	Required: map[string][]string{
		"PeoplePage":                {"people"},
		"PersonEnvelope":            {"person"},
		"PersonDetails":             {"id"},
		"UpdatedPerson":             {"person_id"},
		"PermissionsInspection":     {"inspections"},
		"InspectPermissionsRequest": {"inspections"},
		"PersonInspection":          {"items", "actions"},
		"ApiError":                  {"error"},
	},
}

// rateLimitStatuses are the statuses the wrapper takes for a rate limit,
// as the spec spells them.
func rateLimitStatuses() []string {
	var out []string
	for _, code := range apirules.RateLimitStatuses {
		out = append(out, strconv.Itoa(code))
	}
	return out
}
