package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// problem is an error response: an RFC 9457 problem document in the
// making. The transport's own errors (a body that is not JSON, a rate
// limit) are problems from the start; services' errors become one in
// problemFor.
type problem struct {
	status int
	code   string
	detail string
	fields []api.FieldError
	retry  int
	// earliest is the earliest free start of capacity_unavailable.
	earliest *time.Time
	// limit, current and botID fill the problem members of the same
	// names (concurrency_limit, duplicate_bot).
	limit, current int
	botID          int64
}

func (e *problem) Error() string { return e.code + ": " + e.detail }

func newProblem(status int, code, format string, args ...any) *problem {
	return &problem{status: status, code: code, detail: fmt.Sprintf(format, args...)}
}

func errBadRequest(format string, args ...any) error {
	return newProblem(http.StatusBadRequest, api.CodeBadRequest, format, args...)
}

// unavailableRetry is the Retry-After, in seconds, of a database outage.
const unavailableRetry = 5

// problemFor maps any error to its problem document: the one place where
// errors become HTTP statuses. Unknown errors are 500s whose details stay
// in the log, never in the response.
func problemFor(err error) *problem {
	var (
		pe  *problem
		inv *domain.InvalidError
		bad *domain.BadRequestError
		nf  *domain.NotFoundError
		cf  *domain.ConflictError
		te  *domain.TransitionError
		ee  *domain.EndedError
		tl  *domain.TooLargeError
		le  *domain.LimitError
		ce  *domain.CapacityError
		de  *domain.DuplicateError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &pe):
		return pe
	case errors.As(err, &inv):
		return &problem{status: http.StatusUnprocessableEntity, code: api.CodeValidation, detail: "the request has invalid fields", fields: inv.Fields}
	case errors.As(err, &bad):
		return newProblem(http.StatusBadRequest, api.CodeBadRequest, "%s", bad.Detail)
	case errors.As(err, &nf):
		return newProblem(http.StatusNotFound, api.CodeNotFound, "%s", nf.Error())
	case errors.As(err, &te):
		return newProblem(http.StatusConflict, api.CodeInvalidTransition, "%s", te.Error())
	case errors.As(err, &de):
		return &problem{status: http.StatusConflict, code: api.CodeDuplicateBot, detail: de.Error(), botID: de.BotID}
	case errors.As(err, &cf):
		return newProblem(http.StatusConflict, api.CodeConflict, "%s", cf.Detail)
	case errors.As(err, &ee):
		return newProblem(http.StatusGone, api.CodeConflict, "%s", ee.Error())
	case errors.As(err, &tl):
		return newProblem(http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge, "%s", tl.Error())
	case errors.As(err, &ce):
		return &problem{status: http.StatusConflict, code: api.CodeCapacityUnavailable, detail: ce.Error(), earliest: ce.EarliestJoin,
			fields: []api.FieldError{{Field: "joinAt", Message: ce.Error()}}}
	case errors.As(err, &le):
		return &problem{status: http.StatusTooManyRequests, code: le.Code, detail: le.Detail, retry: le.RetryAfter, limit: le.Limit, current: le.Current}
	case errors.As(err, &mbe):
		return newProblem(http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge, "request body larger than %d bytes", mbe.Limit)
	case errors.Is(err, account.ErrBadKey):
		return newProblem(http.StatusUnauthorized, api.CodeUnauthorized, "the API key is unknown, revoked or expired")
	case errors.Is(err, agent.ErrBadToken):
		return newProblem(http.StatusUnauthorized, api.CodeUnauthorized, "send this bot's token as Authorization: Bearer <token>")
	case errors.Is(err, archive.ErrUnavailable):
		return &problem{status: http.StatusServiceUnavailable, code: api.CodeUnavailable, detail: "the blob store is unavailable; retry shortly", retry: unavailableRetry}
	case errors.Is(err, store.ErrUnavailable):
		return &problem{status: http.StatusServiceUnavailable, code: api.CodeUnavailable, detail: "the database is unavailable; retry shortly", retry: unavailableRetry}
	case errors.Is(err, store.ErrNotFound):
		return newProblem(http.StatusNotFound, api.CodeNotFound, "not found")
	case errors.Is(err, store.ErrConflict):
		return newProblem(http.StatusConflict, api.CodeConflict, "the resource is not in a state that allows this")
	case errors.Is(err, store.ErrQuotaExceeded):
		return newProblem(http.StatusTooManyRequests, api.CodeQuotaExceeded, "daily bot limit reached; it resets at midnight UTC")
	}
	return newProblem(http.StatusInternalServerError, api.CodeInternal, "internal error")
}

var titles = map[string]string{
	api.CodeBadRequest:            "Bad request",
	api.CodeValidation:            "Validation failed",
	api.CodeUnauthorized:          "Unauthorized",
	api.CodeForbidden:             "Forbidden",
	api.CodeNotFound:              "Not found",
	api.CodeConflict:              "Conflict",
	api.CodeInvalidTransition:     "Invalid status transition",
	api.CodeQuotaExceeded:         "Quota exceeded",
	api.CodeRateLimited:           "Too many requests",
	api.CodeIdempotencyMismatch:   "Idempotency key reused with another request",
	api.CodeIdempotencyInProgress: "Request with this idempotency key in progress",
	api.CodePayloadTooLarge:       "Payload too large",
	api.CodeUnsupportedMedia:      "Unsupported media type",
	api.CodeMethodNotAllowed:      "Method not allowed",
	api.CodeInternal:              "Internal error",
	api.CodeUnavailable:           "Service unavailable",
	api.CodeCapacityUnavailable:   "Capacity unavailable",
	api.CodeConcurrencyLimit:      "Concurrency limit reached",
	api.CodeDuplicateBot:          "Duplicate bot for this meeting",
}

// ProblemCodes lists every code a problem document may carry, sorted.
func ProblemCodes() []string { return slices.Sorted(maps.Keys(titles)) }

// writeProblem writes an RFC 9457 problem document.
func writeProblem(w http.ResponseWriter, r *http.Request, pe *problem) {
	p := api.Problem{
		Type:     api.ProblemTypeBase + strings.ReplaceAll(pe.code, "_", "-"),
		Title:    titles[pe.code],
		Status:   pe.status,
		Detail:   pe.detail,
		Instance: r.URL.Path,
		Code:     pe.code,
		Errors:   pe.fields,
		Limit:    pe.limit,
		Current:  pe.current,
		BotID:    pe.botID,
	}
	if pe.earliest != nil {
		at := pe.earliest.UTC()
		p.EarliestStart = &at
	}
	if pe.retry > 0 {
		p.RetryAfterSeconds = pe.retry
		w.Header().Set("Retry-After", fmt.Sprint(pe.retry))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(pe.status)
	_ = json.NewEncoder(w).Encode(p)
}
