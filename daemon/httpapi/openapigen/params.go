package openapigen

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/meeboter/meeboter/daemon/httpapi"
)

// parameters are the operation's path, query and header parameters.
func (e endpoint) parameters() []any {
	var out []any
	for _, name := range pathParams(e.pattern) {
		out = append(out, pathParam(name))
	}
	if e.paged() {
		out = append(out, paramRef("Cursor"), paramRef("Limit"))
	}
	out = append(out, filterParams[e.pattern]...)
	if strings.HasPrefix(e.pattern, "POST ") && e.auth == authAPIKey && !e.noReplay {
		out = append(out, paramRef("IdempotencyKey"))
	}
	return out
}

// paged reports whether the endpoint pages a listing with cursor and limit.
func (e endpoint) paged() bool {
	return isList(e.out) && !unpagedListings[e.pattern]
}

// isList reports whether v is an api.List of some item type.
func isList(v any) bool {
	if v == nil {
		return false
	}
	t := reflect.TypeOf(v)
	return t.PkgPath() == "github.com/meeboter/meeboter/api" && strings.HasPrefix(t.Name(), "List[")
}

// pathParams are the wildcard names of a ServeMux pattern, in order.
func pathParams(pattern string) []string {
	var out []string
	for seg := range strings.SplitSeq(pattern, "/") {
		if name, ok := wildcard(seg); ok {
			out = append(out, name)
		}
	}
	return out
}

// wildcard reads a ServeMux wildcard segment: {name} or {name...}; {$}
// only anchors the pattern and names nothing.
func wildcard(seg string) (string, bool) {
	if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") || seg == "{$}" {
		return "", false
	}
	return strings.TrimSuffix(seg[1:len(seg)-1], "..."), true
}

// pathParam describes a wildcard. Every id of the API is a positive
// integer (pathID answers 404 to anything else).
func pathParam(name string) any {
	if name == "id" {
		return paramRef("Id")
	}
	return obj{"name": name, "in": "path", "required": true, "schema": obj{"type": "string"}}
}

func paramRef(name string) obj { return obj{"$ref": "#/components/parameters/" + name} }

// parameterComponents are the parameters many operations share.
func parameterComponents() obj {
	return obj{
		"Id": obj{"name": "id", "in": "path", "required": true, "description": "The resource's id.",
			"schema": obj{"type": "integer", "format": "int64", "minimum": 1}},
		"Cursor": queryParam("cursor", "The nextCursor of the previous page; opaque.", obj{"type": "string"}),
		"Limit": queryParam("limit", fmt.Sprintf("Items per page, default %d.", httpapi.DefaultLimit),
			obj{"type": "integer", "minimum": 1, "maximum": httpapi.MaxLimit, "default": httpapi.DefaultLimit}),
		"IdempotencyKey": obj{"name": "Idempotency-Key", "in": "header",
			"description": "Makes the request safe to retry: for 24 hours the same key with the same request replays the first answer " +
				"(with Idempotent-Replayed: true); the same key with another request is refused with 422 idempotency_mismatch.",
			"schema": obj{"type": "string", "maxLength": 255}},
	}
}

func queryParam(name, description string, schema obj) obj {
	return obj{"name": name, "in": "query", "description": description, "schema": schema}
}

// repeatable is a query parameter that may be given several times.
func repeatable(name, description string, items obj) obj {
	p := queryParam(name, description, obj{"type": "array", "items": items})
	p["style"], p["explode"] = "form", true
	return p
}

// filterParams are the query parameters of endpoints that take more than
// cursor and limit, by route pattern.
var filterParams = map[string][]any{
	"GET /v1/bots": {
		repeatable("status", "Only bots in one of these statuses.", schemaRef("BotStatus")),
		queryParam("meetingPlatform", "Only bots joining this meeting service.", schemaRef("MeetingPlatform")),
		queryParam("createdFrom", "Only bots created at or after this time.", obj{"type": "string", "format": "date-time"}),
		queryParam("createdTo", "Only bots created before this time.", obj{"type": "string", "format": "date-time"}),
		repeatable("metadata", "Only bots whose metadata has key=value; all given pairs must match.",
			obj{"type": "string", "pattern": "^[^=]+=.*$"}),
	},
	"GET /v1/usage": {
		queryParam("from", "First day (YYYY-MM-DD), default six days before today.", obj{"type": "string", "format": "date"}),
		queryParam("to", "Last day (YYYY-MM-DD), default today; at most 366 days after from.", obj{"type": "string", "format": "date"}),
		timeZoneParam(),
	},
	"GET /v1/plan": {timeZoneParam()},
	"GET /v1/capacity/forecast": {
		queryParam("from", "Start of the forecast, default now.", obj{"type": "string", "format": "date-time"}),
		queryParam("to", "End of the forecast, default an hour after from.", obj{"type": "string", "format": "date-time"}),
		queryParam("step", "Length of a step: seconds (300) or a duration (5m); at least 60 s, at most 500 steps.",
			obj{"type": "string", "default": "5m"}),
	},
	"GET /v1/stats/admission": {
		queryParam("from", "Only bots created at or after this time; default seven days before to.", obj{"type": "string", "format": "date-time"}),
		queryParam("to", "Only bots created before this time; default now.", obj{"type": "string", "format": "date-time"}),
	},
	"GET /v1/events/stream": {
		repeatable("status", "Only bots entering one of these statuses.", schemaRef("BotStatus")),
		queryParam("logs", "Include log lines.", obj{"type": "boolean", "default": false}),
	},
}

func timeZoneParam() obj {
	return queryParam("timeZone", "IANA time zone the days are counted in.",
		obj{"type": "string", "default": "UTC", "examples": []string{"Europe/Berlin"}})
}
