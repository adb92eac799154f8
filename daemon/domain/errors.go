package domain

import (
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// The store's sentinels are part of the domain's error set: ErrNotFound,
// ErrConflict, ErrQuotaExceeded and ErrUnavailable pass through services
// unchanged (wrapped with context), and the transports map them.

// InvalidError is bad input: every bad field, named by its JSON path, so
// one answer names them all. Build it with a Validator.
type InvalidError struct {
	Fields []api.FieldError
}

func (e *InvalidError) Error() string {
	msg := "invalid input"
	for _, f := range e.Fields {
		msg += "; " + f.Field + ": " + f.Message
	}
	return msg
}

// Invalid is an InvalidError naming one field.
func Invalid(field, format string, args ...any) error {
	return &InvalidError{Fields: []api.FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// BadRequestError is input that is malformed as a whole rather than in a
// field (a form without its file part, a body that is not an object).
type BadRequestError struct{ Detail string }

func (e *BadRequestError) Error() string { return e.Detail }

// BadRequest builds a BadRequestError.
func BadRequest(format string, args ...any) error {
	return &BadRequestError{Detail: fmt.Sprintf(format, args...)}
}

// NotFoundError says which kind of thing does not exist, or is not the
// caller's: the two are never told apart. It matches store.ErrNotFound.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string        { return e.What + " not found" }
func (e *NotFoundError) Is(target error) bool { return target == store.ErrNotFound }

// NotFound builds a NotFoundError.
func NotFound(what string) error { return &NotFoundError{What: what} }

// NotFoundIf names what a store.ErrNotFound was about; other errors pass.
func NotFoundIf(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return NotFound(what)
	}
	return err
}

// ConflictError is a request the resource's state does not allow, with a
// sentence saying why. It matches store.ErrConflict.
type ConflictError struct{ Detail string }

func (e *ConflictError) Error() string        { return e.Detail }
func (e *ConflictError) Is(target error) bool { return target == store.ErrConflict }

// Conflict builds a ConflictError.
func Conflict(format string, args ...any) error {
	return &ConflictError{Detail: fmt.Sprintf(format, args...)}
}

// TransitionError is a status change the transition table refuses. Hint
// says what to do instead, when there is something.
type TransitionError struct {
	From, To api.BotStatus
	Hint     string
}

func (e *TransitionError) Error() string {
	msg := fmt.Sprintf("a %s bot cannot become %s", e.From, e.To)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// IsTransition reports whether err is a refused status change.
func IsTransition(err error) bool {
	var te *TransitionError
	return errors.As(err, &te)
}

// EndedError answers a bot that has ended for good: its process should
// exit. REST says 410, tRPC PRECONDITION_FAILED (which the bots look for).
type EndedError struct {
	BotID  int64
	Status api.BotStatus
}

func (e *EndedError) Error() string {
	return fmt.Sprintf("bot %d has ended (%s); the process should exit", e.BotID, e.Status)
}

// IsEnded reports whether err says the bot has ended.
func IsEnded(err error) bool {
	var ee *EndedError
	return errors.As(err, &ee)
}

// TooLargeError is an upload over its limit.
type TooLargeError struct {
	What  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s may be at most %d bytes", e.What, e.Limit)
}

// LimitError is a limit on running or creating bots that the request hit
// (capacity booked, a concurrency cap): Code is the stable api code,
// RetryAfter a hint in seconds (0: none).
type LimitError struct {
	Code       string
	Detail     string
	RetryAfter int
	// Limit and Current, when Limit is set, are the cap and the count
	// that reached it, for clients to show.
	Limit, Current int
}

func (e *LimitError) Error() string { return e.Code + ": " + e.Detail }

// DuplicateError refuses a bot for a meeting the caller already has a live
// bot for: BotID is that bot. It matches store.ErrConflict.
type DuplicateError struct {
	BotID  int64
	Window string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("bot %d is already live for this meeting (created within the last %s); set allowDuplicate to create another", e.BotID, e.Window)
}

// Is makes a DuplicateError a conflict.
func (e *DuplicateError) Is(target error) bool { return target == store.ErrConflict }
