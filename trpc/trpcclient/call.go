package trpcclient

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// nilDecoded stands for "no result" when a call fails.
var nilDecoded = superjson.Decoded{JSON: json.RawMessage("null"), Undefined: true}

// call is one procedure call inside a request.
type call struct {
	path   string
	input  any
	settle func(superjson.Decoded, error)
}

func (c *call) encodeInput() ([]byte, error) {
	env, err := superjson.Encode(c.input)
	if err != nil {
		return nil, fmt.Errorf("trpcclient: %s: %w", c.path, err)
	}
	return env, nil
}

// Result is the outcome of one call of a Batch, known once Batch.Do
// returned.
type Result[T any] struct {
	value T
	err   error
	done  bool
}

// Get returns the call's value or error.
func (r *Result[T]) Get() (T, error) {
	if !r.done {
		var zero T
		return zero, errors.New("trpcclient: batch not sent")
	}
	return r.value, r.err
}

// Err returns the call's error, for calls whose value is of no interest.
func (r *Result[T]) Err() error {
	_, err := r.Get()
	return err
}

// newCall prepares a call whose result is checked by check (when not nil)
// and then unmarshalled into a T.
func newCall[T any](path string, input any, check func(superjson.Decoded) error) (*call, *Result[T]) {
	r := &Result[T]{}
	settle := func(d superjson.Decoded, err error) {
		if err == nil && check != nil {
			err = check(d)
		}
		if err == nil {
			err = json.Unmarshal(d.JSON, &r.value)
		}
		if err != nil {
			err = wrapPath(path, err)
		}
		r.err, r.done = err, true
	}
	return &call{path: path, input: input, settle: settle}, r
}

// wrapPath names the procedure in errors that are not the server's own.
func wrapPath(path string, err error) error {
	var te *Error
	if errors.As(err, &te) {
		return err
	}
	return fmt.Errorf("trpcclient: %s: %w", path, err)
}

// requireValue refuses a null or undefined result where the bot needs an
// object: the real bot crashes on it (e.g. reading shouldLeave).
func requireValue(d superjson.Decoded) error {
	if d.Undefined || string(d.JSON) == "null" {
		return errors.New("result is null")
	}
	return nil
}

// requireDates refuses a result whose named fields are not annotated as
// Dates: the real bot would get strings and crash on them.
func requireDates(fields ...string) func(superjson.Decoded) error {
	return func(d superjson.Decoded) error {
		if err := requireValue(d); err != nil {
			return err
		}
		for _, f := range fields {
			if !d.IsDate(f) {
				return fmt.Errorf("%s is not annotated as a superjson Date", f)
			}
		}
		return nil
	}
}
