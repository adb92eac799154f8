package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
		{"Unreachable", fmt.Errorf("%w: refused", api.ErrUnreachable),
			"error: daemon unreachable: refused\nhint: start a daemon with `meeboter serve`, or point --addr / MEEBOTER_ADDR at one\n"},
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
