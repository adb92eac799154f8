package daemon

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/meeboter/meeboter/api"
)

// validator collects every bad field of a request, so one answer names them
// all instead of one per round trip.
type validator struct {
	fields []api.FieldError
}

// check records msg for field when ok is false.
func (v *validator) check(ok bool, field, format string, args ...any) {
	if !ok {
		v.fields = append(v.fields, api.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// maxLen checks a string's length in bytes.
func (v *validator) maxLen(s string, n int, field string) {
	v.check(len(s) <= n, field, "must be at most %d bytes", n)
}

// err returns the 422 problem when any field is bad.
func (v *validator) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &problemError{
		status: http.StatusUnprocessableEntity,
		code:   api.CodeValidation,
		detail: "the request has invalid fields",
		fields: v.fields,
	}
}

// itoa formats an index for a field path such as "entries[3].level".
func itoa(i int) string { return strconv.Itoa(i) }
