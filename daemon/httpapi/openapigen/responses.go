package openapigen

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// problemResponse describes one error status as the daemon uses it.
type problemResponse struct {
	name        string
	description string
}

// problemResponses are the error answers of the API, all RFC 9457 problem
// documents, under components/responses by name.
var problemResponses = map[int]problemResponse{
	http.StatusBadRequest:   {"BadRequest", "bad_request: the request is malformed (a body that is not JSON, a bad Idempotency-Key)."},
	http.StatusUnauthorized: {"Unauthorized", "unauthorized: no credential, or one that is unknown, revoked or expired."},
	http.StatusNotFound:     {"NotFound", "not_found: nothing by this id is yours. Admin-only endpoints answer 404 to members."},
	http.StatusConflict: {"Conflict", "conflict or invalid_transition: the resource's state (or an existing resource) does not allow this. " +
		"Or capacity_unavailable: every platform is booked for a scheduled bot's window; earliestStart is the earliest joinAt with room."},
	http.StatusGone:                  {"Gone", "conflict: the bot has ended; its process should exit."},
	http.StatusRequestEntityTooLarge: {"PayloadTooLarge", "payload_too_large: the body is larger than the endpoint accepts."},
	http.StatusUnsupportedMediaType:  {"UnsupportedMediaType", "unsupported_media_type: send application/json."},
	http.StatusUnprocessableEntity: {"UnprocessableContent", "validation_failed: errors names each bad field; " +
		"or idempotency_mismatch: the Idempotency-Key was used with another request in the last 24 hours."},
	http.StatusTooManyRequests: {"TooManyRequests", "rate_limited: the key's rate limit is exceeded; retry after Retry-After seconds. " +
		"Or quota_exceeded: the daily bot limit is reached."},
	http.StatusInternalServerError: {"InternalError", "internal: the daemon failed; the details are in its log."},
	http.StatusServiceUnavailable: {"Unavailable", "unavailable: the daemon cannot reach its database right now; nothing is known " +
		"of the request's resources (a key is not unknown, a bot has not ended). Retry after Retry-After seconds."},
}

func problemResponseRef(status int) obj {
	return obj{"$ref": "#/components/responses/" + problemResponses[status].name}
}

// responseComponents are the problem responses, each a Problem document.
func responseComponents() obj {
	out := obj{}
	for status, pr := range problemResponses {
		r := obj{"description": pr.description, "content": obj{"application/problem+json": obj{"schema": schemaRef("Problem")}}}
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			r["headers"] = obj{"Retry-After": obj{"description": "Seconds to wait before retrying.",
				"schema": obj{"type": "integer", "minimum": 1}}}
		}
		out[pr.name] = r
	}
	return out
}

// errorStatuses are the problems an operation may answer, derived from
// what the daemon's layers do: authentication and rate limiting, body
// decoding and validation, idempotency, path ids. Health checks answer no
// problems.
func (e endpoint) errorStatuses() []int {
	set := map[int]bool{}
	add := func(statuses ...int) {
		for _, st := range statuses {
			set[st] = true
		}
	}
	switch e.auth {
	case authAPIKey:
		add(http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable)
		if strings.HasPrefix(e.pattern, "POST ") {
			add(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
		}
	case authBotToken:
		add(http.StatusUnauthorized, http.StatusInternalServerError, http.StatusServiceUnavailable)
	}
	if adminRoutes[e.pattern] {
		add(http.StatusNotFound) // what a member gets: the route does not exist for them
	}
	if e.in != nil {
		add(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
		if _, form := e.in.(formBody); !form {
			add(http.StatusUnsupportedMediaType)
		}
	}
	if e.paged() || len(filterParams[e.pattern]) > 0 {
		add(http.StatusUnprocessableEntity)
	}
	if len(pathParams(e.pattern)) > 0 {
		add(http.StatusNotFound)
	}
	if conflictRoutes[e.pattern] {
		add(http.StatusConflict)
	}
	out := make([]int, 0, len(set))
	for st := range set {
		out = append(out, st)
	}
	slices.Sort(out)
	return out
}

// successStatus is 204 for operations without a response body, 201 for
// those that create, 200 otherwise.
func (e endpoint) successStatus() int {
	switch {
	case e.status != 0:
		return e.status
	case e.out == nil:
		return http.StatusNoContent
	case createdRoutes[e.pattern]:
		return http.StatusCreated
	}
	return http.StatusOK
}

// responses are the operation's answers by status code.
func (e endpoint) responses(schemas *schemaSet) obj {
	out := obj{}
	for _, st := range e.errorStatuses() {
		out[strconv.Itoa(st)] = problemResponseRef(st)
	}
	status := e.successStatus()
	ok := obj{"description": http.StatusText(status) + "."}
	switch {
	case e.text != "":
		ok["content"] = obj{e.text: obj{"schema": obj{"type": "string"}}}
	case e.out == nil:
	case e.stream:
		ok["description"] = "A server-sent event stream: each event is named by its type and its data line is one StreamEvent as JSON."
		ok["content"] = obj{"text/event-stream": obj{"schema": schemas.of(reflect.TypeOf(e.out))}}
	default:
		ok["content"] = jsonContent(schemas.of(reflect.TypeOf(e.out)))
	}
	out[strconv.Itoa(status)] = ok
	for st, r := range e.extra {
		out[st] = r
	}
	return out
}

// requestBody describes the body of an operation that takes one, or nil.
func (e endpoint) requestBody(schemas *schemaSet) obj {
	switch in := e.in.(type) {
	case nil:
		return nil
	case formBody:
		return obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": obj(in)}}}
	}
	return obj{"required": true, "description": "A JSON object; members the endpoint does not know are refused.",
		"content": jsonContent(schemas.of(reflect.TypeOf(e.in)))}
}

func jsonContent(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }
