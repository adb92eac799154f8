package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func apiErr(code string) error { return &api.Error{Problem: api.Problem{Code: code, Title: code}} }

func TestExitCodeFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want ExitCode
	}{
		{"Nil", nil, ExitOK},
		{"Plain", errors.New("boom"), ExitError},
		{"Flag", flagErrorf("bad flag"), ExitUsage},
		{"WrappedFlag", fmt.Errorf("x: %w", flagErrorf("bad")), ExitUsage},
		{"Silent", &SilentError{Code: ExitError}, ExitError},
		{"BotFatal", &BotFatalError{BotID: 1}, ExitBotFatal},
		{"Cancelled", context.Canceled, ExitCancelled},
		{"Unreachable", fmt.Errorf("%w: refused", api.ErrUnreachable), ExitUnreachable},
		{"Unavailable", apiErr(api.CodeUnavailable), ExitUnreachable},
		{"UnreachableError", &api.UnreachableError{Address: "http://x", Err: errors.New("refused")}, ExitUnreachable},
		{"Admin", &AdminError{Command: "meeboter user list"}, ExitAuth},
		{"NotFound", apiErr(api.CodeNotFound), ExitNotFound},
		{"Unauthorized", apiErr(api.CodeUnauthorized), ExitAuth},
		{"Forbidden", apiErr(api.CodeForbidden), ExitAuth},
		{"Validation", apiErr(api.CodeValidation), ExitUsage},
		{"BadRequest", apiErr(api.CodeBadRequest), ExitUsage},
		{"Conflict", apiErr(api.CodeConflict), ExitError},
		{"Quota", apiErr(api.CodeQuotaExceeded), ExitError},
		{"RateLimited", apiErr(api.CodeRateLimited), ExitError},
		{"Internal", apiErr(api.CodeInternal), ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertEqual(t, "exit code", exitCodeFor(tt.err), tt.want)
		})
	}
}

func TestPrintError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"Plain", errors.New("boom"), "error: boom\n"},
		{"Silent", &SilentError{Code: ExitError}, ""},
		{"Validation", &api.Error{Problem: api.Problem{Code: api.CodeValidation, Title: "Unprocessable Entity",
			Detail: "the request is invalid", Errors: []api.FieldError{
				{Field: "meeting.meetingUrl", Message: "must be a URL"},
				{Field: "metadata.team", Message: "too long"},
			}}},
			"error: the request is invalid\n  meeting.meetingUrl: must be a URL\n  metadata.team: too long\n"},
		{"TitleOnly", &api.Error{Problem: api.Problem{Code: api.CodeConflict, Title: "Conflict"}}, "error: Conflict\n"},
		{"Unauthorized", apiErr(api.CodeUnauthorized),
			"error: unauthorized\nhint: run `meeboter login`, or set MEEBOTER_API_KEY\n"},
		{"Unreachable", fmt.Errorf("%w: stream ended: EOF", api.ErrUnreachable),
			"error: daemon unavailable: stream ended: EOF\nhint: start a daemon with `meeboter serve`, or point --addr / MEEBOTER_ADDR at one\n"},
		{"UnreachableTimeout", &api.UnreachableError{Address: "https://bots.example", Err: &net.OpError{Op: "dial", Err: timeoutErr{}}},
			"error: daemon unavailable: nothing answers at https://bots.example (timed out)\nhint: start a daemon with `meeboter serve`, or point --addr / MEEBOTER_ADDR at one\n"},
		{"UnreachableDNS", &api.UnreachableError{Address: "https://bots.example", Err: &net.DNSError{Name: "bots.example", Err: "no such host"}},
			"error: daemon unavailable: nothing answers at https://bots.example (cannot resolve bots.example)\nhint: start a daemon with `meeboter serve`, or point --addr / MEEBOTER_ADDR at one\n"},
		{"Unavailable", &api.Error{Problem: api.Problem{Status: 503, Code: api.CodeUnavailable, Title: "Service Unavailable", Detail: "the database is not answering"}},
			"error: daemon unavailable: the database is not answering\nhint: the daemon is up but cannot serve requests (its database may be down); try again later\n"},
		{"Admin", &AdminError{Command: "meeboter user list", User: api.User{Email: "ana@example.com", Role: api.RoleMember}},
			"error: meeboter user list needs an admin API key; this key is ana@example.com's (member)\nhint: ask an admin to run it, or log in with an admin key (meeboter login)\n"},
		{"BotFatal", &BotFatalError{BotID: 7, Reason: "heartbeat_timeout", Detail: "no heartbeat for 60s"},
			"error: bot 7 ended FATAL: heartbeat_timeout (no heartbeat for 60s)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			printError(&buf, tt.err)
			assertEqual(t, "stderr", buf.String(), tt.want)
		})
	}
}

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
