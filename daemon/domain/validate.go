package domain

import (
	"fmt"
	"strconv"

	"github.com/meeboter/meeboter/api"
)

// Validator collects every bad field of a request, so one answer names
// them all instead of one per round trip.
type Validator struct {
	fields []api.FieldError
}

// Check records a message for field when ok is false.
func (v *Validator) Check(ok bool, field, format string, args ...any) {
	if !ok {
		v.fields = append(v.fields, api.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// MaxLen checks a string's length in bytes.
func (v *Validator) MaxLen(s string, n int, field string) {
	v.Check(len(s) <= n, field, "must be at most %d bytes", n)
}

// Err is the InvalidError naming every bad field, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &InvalidError{Fields: v.fields}
}

// Index formats a field path element such as "entries[3]".
func Index(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }
