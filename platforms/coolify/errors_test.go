package coolify

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseAPIError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		want    error
		message string
		fields  map[string]string
		retry   time.Duration
	}{
		{name: "NotFound", status: 404, body: `{"message":"Application not found."}`, want: ErrNotFound, message: "Application not found."},
		{name: "Unauthenticated", status: 401, body: `{"message":"Unauthenticated."}`, want: ErrUnauthorized, message: "Unauthenticated."},
		{name: "InvalidToken", status: 400, body: `{"message":"Invalid token.","docs":"https://coolify.io/docs"}`, want: ErrUnauthorized, message: "Invalid token."},
		{name: "Forbidden", status: 403, body: `{"message":"You are not allowed to access the API."}`, want: ErrUnauthorized},
		{name: "Conflict", status: 409, body: `{"message":"Domain conflicts detected.","conflicts":[]}`, want: ErrConflict},
		{name: "ValidationList", status: 422, body: `{"message":"Validation failed.","errors":{"docker_registry_image_name":["The docker registry image name field format is invalid."],"foo":["This field is not allowed."]}}`,
			want: ErrValidation, message: "Validation failed.",
			fields: map[string]string{"docker_registry_image_name": "The docker registry image name field format is invalid.", "foo": "This field is not allowed."}},
		{name: "ValidationString", status: 422, body: `{"message":"Validation failed.","errors":{"destination_uuid":"Provided destination_uuid does not belong to the specified server."}}`,
			want: ErrValidation, fields: map[string]string{"destination_uuid": "Provided destination_uuid does not belong to the specified server."}},
		{name: "Throttled", status: 429, header: http.Header{"Retry-After": {"17"}}, body: `{"message":"Too Many Attempts."}`, want: ErrRateLimited, retry: 17 * time.Second},
		{name: "NotJSON", status: 502, body: `<html>Bad Gateway</html>`, message: "Bad Gateway"},
		{name: "EmptyMessage", status: 500, body: `{"message":""}`, message: "Internal Server Error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			e := parseAPIError("GET", "/x", tc.status, h, []byte(tc.body))
			if tc.want != nil && !errors.Is(e, tc.want) {
				t.Errorf("%v is not %v", e, tc.want)
			}
			for _, other := range []error{ErrNotFound, ErrConflict, ErrRateLimited, ErrUnauthorized, ErrValidation} {
				if other != tc.want && errors.Is(e, other) {
					t.Errorf("%v is also %v", e, other)
				}
			}
			if tc.message != "" && e.Message != tc.message {
				t.Errorf("Message = %q, want %q", e.Message, tc.message)
			}
			for f, msg := range tc.fields {
				if len(e.Fields[f]) != 1 || e.Fields[f][0] != msg {
					t.Errorf("Fields[%s] = %q, want [%q]", f, e.Fields[f], msg)
				}
				if !strings.Contains(e.Error(), f+": "+msg) {
					t.Errorf("Error() = %q does not name field %s", e.Error(), f)
				}
			}
			if e.RetryAfter != tc.retry {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tc.retry)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"60", time.Minute, true}, {"0", 0, true}, {" 5 ", 5 * time.Second, true},
		{"-1", 0, false}, {"", 0, false}, {"soon", 0, false}, {"1.5", 0, false},
		{"99999999", maxRetryAfterSecs * time.Second, true},
		{"Tue, 01 Jan 2030 00:00:30 GMT", 30 * time.Second, true},
		{"Mon, 31 Dec 2029 23:00:00 GMT", 0, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParseAPIError feeds arbitrary bodies and headers: parsing an error
// answer must never panic and always keep the status.
func FuzzParseAPIError(f *testing.F) {
	f.Add(422, `{"message":"Validation failed.","errors":{"a":["b"],"c":"d","e":3}}`, "5")
	f.Add(429, `{"message":`, "Tue, 01 Jan 2030 00:00:30 GMT")
	f.Add(500, `null`, "")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter string) {
		e := parseAPIError("POST", "/deploy", status, http.Header{"Retry-After": {retryAfter}}, []byte(body))
		if e.Status != status || e.RetryAfter < 0 || e.RetryAfter > maxRetryAfterSecs*time.Second {
			t.Fatalf("parseAPIError = %+v", e)
		}
		_ = e.Error()
	})
}
