package api

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Stable error codes carried in the "code" member of every problem
// document. Clients branch on these, never on the human-readable text.
const (
	CodeBadRequest          = "bad_request"
	CodeValidation          = "validation_failed"
	CodeUnauthorized        = "unauthorized"
	CodeForbidden           = "forbidden"
	CodeNotFound            = "not_found"
	CodeConflict            = "conflict"
	CodeInvalidTransition   = "invalid_transition"
	CodeQuotaExceeded       = "quota_exceeded"
	CodeRateLimited         = "rate_limited"
	CodeIdempotencyMismatch = "idempotency_mismatch"
	// CodeIdempotencyInProgress: another request with this Idempotency-Key
	// is still running; retry after Retry-After to get its answer.
	CodeIdempotencyInProgress = "idempotency_in_progress"
	CodePayloadTooLarge       = "payload_too_large"
	CodeUnsupportedMedia      = "unsupported_media_type"
	CodeMethodNotAllowed      = "method_not_allowed"
	CodeInternal              = "internal"
	CodeUnavailable           = "unavailable"
	// CodeCapacityUnavailable: every platform is booked for the window of
	// a scheduled bot; earliestStart names the earliest join time with
	// room. Send bestEffort to be queued at the time instead.
	CodeCapacityUnavailable = "capacity_unavailable"
	// CodeConcurrencyLimit: the caller's (or key's) bots holding capacity
	// reached its concurrency cap; the problem's limit and current say
	// how far. Create with queueAtConcurrencyLimit to wait instead.
	CodeConcurrencyLimit = "concurrency_limit"
	// CodeDuplicateBot: a live bot for this meeting exists (botId) and
	// was created within the caller's deduplication window.
	CodeDuplicateBot = "duplicate_bot"
)

// Problem is an RFC 9457 problem document, the body of every error
// response (Content-Type application/problem+json).
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Code     string       `json:"code"`
	Errors   []FieldError `json:"errors,omitempty"`
	// RetryAfterSeconds is set with rate_limited (also sent as the
	// Retry-After header).
	RetryAfterSeconds int `json:"retryAfterSeconds,omitempty"`
	// EarliestStart is set with capacity_unavailable: the earliest join
	// time with room for the bot's window, when there is one.
	EarliestStart *time.Time `json:"earliestStart,omitempty"`
	// Limit and Current come with concurrency_limit: the cap, and how
	// many bots hold capacity now.
	Limit   int `json:"limit,omitempty"`
	Current int `json:"current,omitempty"`
	// BotID comes with duplicate_bot: the live bot for the meeting.
	BotID int64 `json:"botId,omitempty"`
}

// FieldError names one bad field of a request: Field is a JSON path such as
// "meeting.meetingUrl" or "metadata.team".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ProblemTypeBase prefixes the type URI of every problem document.
const ProblemTypeBase = "https://meeboter.dev/problems/"

// Error is a problem document received by the client, as a Go error.
type Error struct {
	Problem
}

func (e *Error) Error() string {
	msg := e.Title
	if e.Detail != "" {
		msg = e.Detail
	}
	if len(e.Errors) > 0 {
		parts := make([]string, len(e.Errors))
		for i, fe := range e.Errors {
			parts[i] = fe.Field + ": " + fe.Message
		}
		msg += " (" + strings.Join(parts, "; ") + ")"
	}
	return fmt.Sprintf("%s [%d %s]", msg, e.Status, e.Code)
}

// Is makes errors.Is(err, api.ErrNotFound) and friends work by code.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) {
		return t.Code == e.Code
	}
	return false
}

func sentinel(code string) *Error { return &Error{Problem{Code: code}} }

// Sentinels for errors.Is against errors returned by the client.
var (
	ErrBadRequest          = sentinel(CodeBadRequest)
	ErrValidation          = sentinel(CodeValidation)
	ErrUnauthorized        = sentinel(CodeUnauthorized)
	ErrForbidden           = sentinel(CodeForbidden)
	ErrNotFound            = sentinel(CodeNotFound)
	ErrConflict            = sentinel(CodeConflict)
	ErrInvalidTransition   = sentinel(CodeInvalidTransition)
	ErrQuotaExceeded       = sentinel(CodeQuotaExceeded)
	ErrRateLimited         = sentinel(CodeRateLimited)
	ErrIdempotencyMismatch = sentinel(CodeIdempotencyMismatch)
	// ErrIdempotencyInProgress: the same key's first request is running.
	ErrIdempotencyInProgress = sentinel(CodeIdempotencyInProgress)
	ErrInternal              = sentinel(CodeInternal)
	ErrUnavailable           = sentinel(CodeUnavailable)
	// ErrCapacityUnavailable: the scheduled window is booked out.
	ErrCapacityUnavailable = sentinel(CodeCapacityUnavailable)
	ErrConcurrencyLimit    = sentinel(CodeConcurrencyLimit)
	ErrDuplicateBot        = sentinel(CodeDuplicateBot)
)

// ErrUnreachable wraps transport failures: the daemon could not be reached
// at all (not running, wrong address). Retrying later may help.
var ErrUnreachable = errors.New("daemon unreachable")

// UnreachableError is a request that got no answer at all: nothing listens
// at the address, the name does not resolve, or the connection failed or
// timed out. errors.Is(err, ErrUnreachable) holds for it, and errors.Is
// also reaches the transport's cause (syscall.ECONNREFUSED, ...).
type UnreachableError struct {
	// Address is the daemon's base URL.
	Address string
	// Err is the transport's error.
	Err error
}

// Error names the address and the cause.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%v at %s: %v", ErrUnreachable, e.Address, e.Err)
}

// Unwrap exposes both ErrUnreachable and the cause.
func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }
