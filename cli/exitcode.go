package cli

import (
	"context"
	"errors"

	"github.com/meeboter/meeboter/api"
)

// ExitCode is the process status of a meeboter command. Scripts branch on
// it, so the values are part of the CLI's contract and never change.
type ExitCode int

// The exit codes of every command.
const (
	// ExitOK: the command did what was asked (an empty list included).
	ExitOK ExitCode = 0
	// ExitError: anything not covered below (conflict, quota, a daemon bug).
	ExitError ExitCode = 1
	// ExitUsage: a bad flag or argument, or a request the daemon rejected
	// as invalid (bad_request, validation_failed). Fix the command line.
	ExitUsage ExitCode = 2
	// ExitNotFound: the bot, key, user or template does not exist.
	ExitNotFound ExitCode = 3
	// ExitAuth: the API key is missing, wrong, expired, or lacks the role.
	ExitAuth ExitCode = 4
	// ExitUnreachable: no daemon answered at the address (after retries),
	// or it answered that it is unavailable. Worth retrying later.
	ExitUnreachable ExitCode = 5
	// ExitBotFatal: a bot followed with --wait (or logs -f) ended FATAL.
	ExitBotFatal ExitCode = 6
	// ExitCancelled: interrupted with Ctrl-C (128 + SIGINT, as shells do).
	ExitCancelled ExitCode = 130
)

// exitCodeFor maps an error returned by a command to its exit code. It is
// the only place that knows the mapping, so every command agrees.
func exitCodeFor(err error) ExitCode {
	var flagErr *FlagError
	var silent *SilentError
	var fatal *BotFatalError
	var admin *AdminError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &flagErr):
		return ExitUsage
	case errors.As(err, &admin):
		return ExitAuth
	case errors.As(err, &fatal):
		return ExitBotFatal
	case errors.As(err, &silent):
		return silent.Code
	case errors.Is(err, context.Canceled):
		return ExitCancelled
	case api.IsUnreachable(err), errors.Is(err, api.ErrUnavailable):
		return ExitUnreachable
	}
	return exitCodeForProblem(err)
}

// exitCodeForProblem maps the daemon's problem codes.
func exitCodeForProblem(err error) ExitCode {
	switch {
	case errors.Is(err, api.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, api.ErrUnauthorized), errors.Is(err, api.ErrForbidden):
		return ExitAuth
	case errors.Is(err, api.ErrValidation), errors.Is(err, api.ErrBadRequest):
		return ExitUsage
	}
	return ExitError
}
