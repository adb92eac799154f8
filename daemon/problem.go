package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// problemError is an error that knows its problem document. Handlers return
// it (or a store error) and writeError turns it into the response.
type problemError struct {
	status int
	code   string
	detail string
	fields []api.FieldError
	retry  int
}

func (e *problemError) Error() string { return e.code + ": " + e.detail }

func newProblem(status int, code, format string, args ...any) *problemError {
	return &problemError{status: status, code: code, detail: fmt.Sprintf(format, args...)}
}

func errNotFound(what string) error {
	return newProblem(http.StatusNotFound, api.CodeNotFound, "%s not found", what)
}

func errBadRequest(format string, args ...any) error {
	return newProblem(http.StatusBadRequest, api.CodeBadRequest, format, args...)
}

func errConflict(format string, args ...any) error {
	return newProblem(http.StatusConflict, api.CodeConflict, format, args...)
}

func errInvalidTransition(from, to api.BotStatus) error {
	return newProblem(http.StatusConflict, api.CodeInvalidTransition, "a %s bot cannot become %s", from, to)
}

// toProblem maps any error to its problem document: the one place where
// errors become HTTP statuses. Unknown errors are 500s whose details stay in
// the log, never in the response.
func toProblem(err error) *problemError {
	var pe *problemError
	switch {
	case errors.As(err, &pe):
		return pe
	case errors.Is(err, store.ErrNotFound):
		return newProblem(http.StatusNotFound, api.CodeNotFound, "not found")
	case errors.Is(err, store.ErrConflict):
		return newProblem(http.StatusConflict, api.CodeConflict, "the resource is not in a state that allows this")
	case errors.Is(err, store.ErrQuotaExceeded):
		return newProblem(http.StatusTooManyRequests, api.CodeQuotaExceeded, "daily bot limit reached; it resets at midnight in your time zone")
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return newProblem(http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge, "request body larger than %d bytes", mbe.Limit)
	}
	return newProblem(http.StatusInternalServerError, api.CodeInternal, "internal error")
}

var titles = map[string]string{
	api.CodeBadRequest:          "Bad request",
	api.CodeValidation:          "Validation failed",
	api.CodeUnauthorized:        "Unauthorized",
	api.CodeForbidden:           "Forbidden",
	api.CodeNotFound:            "Not found",
	api.CodeConflict:            "Conflict",
	api.CodeInvalidTransition:   "Invalid status transition",
	api.CodeQuotaExceeded:       "Quota exceeded",
	api.CodeRateLimited:         "Too many requests",
	api.CodeIdempotencyMismatch: "Idempotency key reused with another request",
	api.CodePayloadTooLarge:     "Payload too large",
	api.CodeUnsupportedMedia:    "Unsupported media type",
	api.CodeMethodNotAllowed:    "Method not allowed",
	api.CodeInternal:            "Internal error",
	api.CodeUnavailable:         "Service unavailable",
}

// writeProblem writes an RFC 9457 problem document.
func writeProblem(w http.ResponseWriter, r *http.Request, pe *problemError) {
	p := api.Problem{
		Type:     api.ProblemTypeBase + strings.ReplaceAll(pe.code, "_", "-"),
		Title:    titles[pe.code],
		Status:   pe.status,
		Detail:   pe.detail,
		Instance: r.URL.Path,
		Code:     pe.code,
		Errors:   pe.fields,
	}
	if pe.retry > 0 {
		p.RetryAfterSeconds = pe.retry
		w.Header().Set("Retry-After", fmt.Sprint(pe.retry))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(pe.status)
	_ = json.NewEncoder(w).Encode(p)
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
