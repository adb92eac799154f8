package trpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// input is a procedure's decoded input; validate reports what is wrong with
// it in words the bot's log can show.
type input interface {
	validate() error
}

// proc builds a procedure that decodes its superjson input into T,
// validates it and calls fn.
func proc[T input](k kind, fn func(context.Context, *server, Identity, T) (any, error)) procedure {
	return procedure{kind: k, run: func(ctx context.Context, s *server, id Identity, raw json.RawMessage) (any, error) {
		in, err := decodeInput[T](raw)
		if err != nil {
			return nil, err
		}
		if err := in.validate(); err != nil {
			return nil, newError(codeBadRequest, "Invalid input: %v", err)
		}
		return fn(ctx, s, id, in)
	}}
}

// decodeInput unwraps the envelope and unmarshals the plain value. Unknown
// fields are ignored, as zod strips them.
func decodeInput[T any](raw json.RawMessage) (T, error) {
	var in T
	if raw == nil {
		return in, newError(codeBadRequest, "Invalid input: input is required")
	}
	if p, ok := any(&in).(*botInput); ok {
		if id, ok := plainBotID(raw); ok {
			p.ID = id
			return in, nil
		}
	}
	d, err := superjson.Decode(raw)
	if err != nil {
		return in, newError(codeBadRequest, "Invalid input: %v", err)
	}
	if bytes.Equal(d.JSON, []byte("null")) {
		return in, newError(codeBadRequest, "Invalid input: input is required")
	}
	if err := json.Unmarshal(d.JSON, &in); err != nil {
		return in, newError(codeBadRequest, "Invalid input: %s", describe(err))
	}
	return in, nil
}

// describe words an unmarshalling error by JSON field, not Go type.
func describe(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: unexpected %s", te.Field, te.Value)
	}
	return err.Error()
}

// wireID is a bot id as the bots send it: a JSON number in bots.getConfig
// and inside log entries, a string of digits everywhere else. Anything but
// a positive integer (NaN, "abc", 1.5, "") is refused.
type wireID int64

var errBadID = errors.New("expected a positive integer bot id")

// UnmarshalJSON accepts 123 and "123".
func (id *wireID) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return errBadID
		}
	}
	n, ok := parseID(s)
	if !ok {
		return errBadID
	}
	*id = wireID(n)
	return nil
}

// parseID parses a positive decimal id made only of digits.
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// requireID reports a missing id (zero after decoding).
func requireID(name string, id wireID) error {
	if id <= 0 {
		return errors.New(name + " is required")
	}
	return nil
}
