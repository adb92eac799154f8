package coolify

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sentinels an *APIError matches with errors.Is, by HTTP status. They let a
// caller decide without reading status codes.
var (
	// ErrNotFound: Coolify has no such application or deployment (404).
	// Delete and Stop treat it as done; elsewhere the resource vanished.
	ErrNotFound = errors.New("coolify: not found")
	// ErrConflict: Coolify refused a duplicate (409, a domain already in
	// use). Retrying the same request does not help.
	ErrConflict = errors.New("coolify: conflict")
	// ErrRateLimited: Coolify answered 429 after every retry. Wait for
	// APIError.RetryAfter, or lower COOLIFY_RATE_LIMIT when several daemons
	// share one token.
	ErrRateLimited = errors.New("coolify: rate limited")
	// ErrUnauthorized: the token is missing, wrong or lacks an ability
	// (401, 403, or Coolify's 400 "Invalid token."). Fix COOLIFY_API_TOKEN;
	// retrying does not help.
	ErrUnauthorized = errors.New("coolify: unauthorized")
	// ErrValidation: Coolify refused the request body (422, with Fields
	// naming what was wrong). A bug or a bad setting, never transient.
	ErrValidation = errors.New("coolify: validation failed")
)

// APIError is a non-2xx answer from Coolify. Coolify answers errors as
// {"message": "..."}, and validation errors (422) add "errors", a map from
// field to messages.
type APIError struct {
	Method string
	Path   string
	Status int
	// Message is Coolify's own message, or the HTTP status text when the
	// body had none.
	Message string
	// Fields holds 422 validation messages by field name, sorted.
	Fields map[string][]string
	// RetryAfter is how long Coolify asked us to wait (429), zero if it
	// did not say.
	RetryAfter time.Duration
}

// Error renders the call, the status, the message and any field errors,
// so a log line says what to fix.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coolify: %s %s: %d %s", e.Method, e.Path, e.Status, e.Message)
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		fmt.Fprintf(&b, "; %s: %s", f, strings.Join(e.Fields[f], ", "))
	}
	return b.String()
}

// Is matches the sentinels by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrValidation:
		return e.Status == http.StatusUnprocessableEntity
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden ||
			(e.Status == http.StatusBadRequest && e.Message == "Invalid token.")
	}
	return false
}

// errorBody is Coolify's error shape. "errors" is a map whose values are a
// list of messages (Laravel's validator) or one string (the controllers'
// hand-written checks); both occur.
type errorBody struct {
	Message string                     `json:"message"`
	Errors  map[string]json.RawMessage `json:"errors"`
}

// parseAPIError builds the error for a non-2xx answer from its status,
// headers and body. It never fails: a body that is not Coolify's shape
// still gives an error carrying the status.
func parseAPIError(method, path string, status int, h http.Header, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.Message = strings.TrimSpace(eb.Message)
		e.Fields = fieldErrors(eb.Errors)
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if d, ok := parseRetryAfter(h.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	return e
}

func fieldErrors(raw map[string]json.RawMessage) map[string][]string {
	if len(raw) == 0 {
		return nil
	}
	out := make(map[string][]string, len(raw))
	for field, v := range raw {
		var list []string
		var one string
		switch {
		case json.Unmarshal(v, &list) == nil:
		case json.Unmarshal(v, &one) == nil:
			list = []string{one}
		default:
			list = []string{string(v)}
		}
		out[field] = list
	}
	return out
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP
// date (RFC 9110 §10.2.3). A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, maxRetryAfterSecs)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(0, t.Sub(now)), maxRetryAfterSecs*time.Second), true
}

// maxRetryAfterSecs caps a Retry-After so a bogus header cannot park the
// client for days; Coolify asks for 60 seconds at most.
const maxRetryAfterSecs = 3600
