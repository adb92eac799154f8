package trpc

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors a Backend wraps to choose the tRPC error the bot gets. The
// wrapping error's text is the message, e.g.
//
//	fmt.Errorf("%w: Bot %d has already finished (status: %s). Container should exit.", trpc.ErrPreconditionFailed, id, st)
var (
	ErrBadRequest      = errors.New("bad request")
	ErrUnauthorized    = errors.New("unauthorized")
	ErrForbidden       = errors.New("forbidden")
	ErrNotFound        = errors.New("not found")
	ErrConflict        = errors.New("conflict")
	ErrTooManyRequests = errors.New("too many requests")
	// ErrPreconditionFailed says the bot has finished and its container
	// should exit. Its text is the tRPC code itself because the bots only
	// skip their restart when the message contains "PRECONDITION_FAILED".
	ErrPreconditionFailed = errors.New("PRECONDITION_FAILED")
)

// errCode is one tRPC error code: its name, JSON-RPC number and HTTP status.
type errCode struct {
	name   string
	rpc    int
	status int
}

// The tRPC v11 error codes this package answers with.
var (
	codeParse          = errCode{"PARSE_ERROR", -32700, 400}
	codeBadRequest     = errCode{"BAD_REQUEST", -32600, 400}
	codeInternal       = errCode{"INTERNAL_SERVER_ERROR", -32603, 500}
	codeUnauthorized   = errCode{"UNAUTHORIZED", -32001, 401}
	codeForbidden      = errCode{"FORBIDDEN", -32003, 403}
	codeNotFound       = errCode{"NOT_FOUND", -32004, 404}
	codeMethod         = errCode{"METHOD_NOT_SUPPORTED", -32005, 405}
	codeConflict       = errCode{"CONFLICT", -32009, 409}
	codePrecondition   = errCode{"PRECONDITION_FAILED", -32012, 412}
	codeTooLarge       = errCode{"PAYLOAD_TOO_LARGE", -32013, 413}
	codeMediaType      = errCode{"UNSUPPORTED_MEDIA_TYPE", -32015, 415}
	codeTooManyRequest = errCode{"TOO_MANY_REQUESTS", -32029, 429}
)

// sentinelCodes maps each sentinel to its code, in matching order.
var sentinelCodes = []struct {
	err  error
	code errCode
}{
	{ErrBadRequest, codeBadRequest},
	{ErrUnauthorized, codeUnauthorized},
	{ErrForbidden, codeForbidden},
	{ErrNotFound, codeNotFound},
	{ErrConflict, codeConflict},
	{ErrPreconditionFailed, codePrecondition},
	{ErrTooManyRequests, codeTooManyRequest},
}

// callError is a classified failure of one call.
type callError struct {
	code    errCode
	message string
}

func (e *callError) Error() string { return e.code.name + ": " + e.message }

func newError(code errCode, format string, args ...any) *callError {
	return &callError{code: code, message: fmt.Sprintf(format, args...)}
}

// classify turns any error into a callError; ok is false when the error
// was not classified (and should be logged, since its text is hidden).
func classify(err error) (ce *callError, ok bool) {
	if errors.As(err, &ce) {
		return ce, true
	}
	for _, s := range sentinelCodes {
		if errors.Is(err, s.err) {
			return &callError{code: s.code, message: messageFor(err, s.err)}, true
		}
	}
	return newError(codeInternal, "Internal server error"), false
}

// messageFor turns a wrapped sentinel into the message a bot logs. The
// sentinel's own text is dropped ("not found: Bot not found: 9" reads
// "Bot not found: 9"), except for a precondition failure, which must name
// its code so the bots' restart check recognises it.
func messageFor(err, sentinel error) string {
	msg, tag := err.Error(), sentinel.Error()
	if sentinel == ErrPreconditionFailed {
		if !strings.Contains(msg, tag) {
			msg = tag + ": " + msg
		}
		return msg
	}
	if trimmed := strings.TrimSuffix(strings.TrimPrefix(msg, tag+": "), ": "+tag); trimmed != "" {
		msg = trimmed
	}
	return msg
}

// TokensEqual compares two secrets in constant time, whatever their
// lengths, for Backends that check a token against a known value.
func TokensEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
