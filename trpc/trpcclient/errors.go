package trpcclient

import (
	"encoding/json"
	"errors"

	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/superjson"
)

// Error is an error answered by the server, like the real client's
// TRPCClientError. Message is what the bot logs and what its restart check
// searches for "PRECONDITION_FAILED".
type Error struct {
	Message    string
	Code       string // e.g. NOT_FOUND
	RPCCode    int    // e.g. -32004
	HTTPStatus int
	Path       string
}

func (e *Error) Error() string { return e.Message }

// codeSentinels lets errors.Is match an *Error against the trpc sentinels.
var codeSentinels = map[string]error{
	"BAD_REQUEST":         trpc.ErrBadRequest,
	"UNAUTHORIZED":        trpc.ErrUnauthorized,
	"FORBIDDEN":           trpc.ErrForbidden,
	"NOT_FOUND":           trpc.ErrNotFound,
	"CONFLICT":            trpc.ErrConflict,
	"PRECONDITION_FAILED": trpc.ErrPreconditionFailed,
	"TOO_MANY_REQUESTS":   trpc.ErrTooManyRequests,
}

// Is reports whether the error's code is the one target stands for.
func (e *Error) Is(target error) bool {
	s, ok := codeSentinels[e.Code]
	return ok && s == target
}

// errTransform is what the real client reports for an error it cannot
// read, such as one without its superjson "json" wrapper. The text is the
// real client's, capitals included.
//
//lint:ignore ST1005 reproduces @trpc/client's message verbatim
var errTransform = errors.New("Unable to transform response from server")

// errorShape is tRPC's error shape.
type errorShape struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
	Data    struct {
		Code       string `json:"code"`
		HTTPStatus int    `json:"httpStatus"`
		Path       string `json:"path"`
	} `json:"data"`
}

// decodeError reads {"json":<errorShape>}.
func decodeError(env json.RawMessage) error {
	if !hasJSONKey(env) {
		return errTransform
	}
	d, err := superjson.Decode(env)
	if err != nil {
		return errTransform
	}
	var shape errorShape
	if json.Unmarshal(d.JSON, &shape) != nil || shape.Message == "" && shape.Data.Code == "" {
		return errTransform
	}
	return &Error{
		Message: shape.Message, Code: shape.Data.Code, RPCCode: shape.Code,
		HTTPStatus: shape.Data.HTTPStatus, Path: shape.Data.Path,
	}
}
