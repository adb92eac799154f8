package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/meeboter/meeboter/api"
)

// FlagError is a mistake on the command line. It exits 2 and prints the
// command's usage after the message, since the fix is in how it is called.
type FlagError struct{ err error }

// Error returns the message without the usage, which Main prints after it.
func (e *FlagError) Error() string { return e.err.Error() }

// Unwrap exposes the cause, such as cobra's unknown-flag error.
func (e *FlagError) Unwrap() error { return e.err }

// flagErrorf builds a FlagError.
func flagErrorf(format string, args ...any) error {
	return &FlagError{fmt.Errorf(format, args...)}
}

// SilentError ends a command with Code after it has already explained
// itself on stderr (a bulk operation that partly failed, say).
type SilentError struct{ Code ExitCode }

// Error exists for logs and tests; Main never prints it.
func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// BotFatalError says a followed bot ended FATAL; it exits 6 so a CI step
// can tell "the bot failed" from "the CLI failed".
type BotFatalError struct {
	BotID  int64
	Reason string
	Detail string
}

// Error says which bot failed and why, as the daemon recorded it.
func (e *BotFatalError) Error() string {
	msg := fmt.Sprintf("bot %d ended FATAL", e.BotID)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// printError writes err for a person: "error: <message>", one indented line
// per invalid field, and a hint where one helps.
func printError(w io.Writer, err error) {
	var silent *SilentError
	if errors.As(err, &silent) {
		return
	}
	var apiErr *api.Error
	var admin *AdminError
	switch {
	case errors.As(err, &admin):
		fmt.Fprintf(w, "error: %s\n", admin)
		fmt.Fprintln(w, "hint: ask an admin to run it, or log in with an admin key (meeboter login)")
	case api.IsUnreachable(err):
		fmt.Fprintf(w, "error: daemon unavailable: %s\n", unreachableText(err))
		fmt.Fprintln(w, "hint: start a daemon with `meeboter serve`, or point --addr / MEEBOTER_ADDR at one")
	case !errors.As(err, &apiErr):
		fmt.Fprintf(w, "error: %s\n", err)
	case apiErr.Code == api.CodeUnavailable:
		fmt.Fprintf(w, "error: daemon unavailable: %s\n", problemMessage(apiErr))
		fmt.Fprintln(w, "hint: the daemon is up but cannot serve requests (its database may be down); try again later")
	default:
		printProblem(w, apiErr)
	}
}

// printProblem writes a problem document: its message, then each bad field.
func printProblem(w io.Writer, e *api.Error) {
	fmt.Fprintf(w, "error: %s\n", problemMessage(e))
	for _, fe := range e.Errors {
		fmt.Fprintf(w, "  %s: %s\n", fe.Field, fe.Message)
	}
	if e.Code == api.CodeUnauthorized {
		fmt.Fprintln(w, "hint: run `meeboter login`, or set MEEBOTER_API_KEY")
	}
}

// unreachableText says where nothing answered and why, in words: "nothing
// answers at http://127.0.0.1:3000 (connection refused)".
func unreachableText(err error) string {
	var ue *api.UnreachableError
	if !errors.As(err, &ue) {
		return strings.TrimPrefix(err.Error(), api.ErrUnreachable.Error()+": ")
	}
	var dns *net.DNSError
	var ne net.Error
	cause := ue.Err.Error()
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		cause = "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		cause = "connection reset"
	case errors.As(err, &dns):
		cause = "cannot resolve " + dns.Name
	case errors.As(err, &ne) && ne.Timeout():
		cause = "timed out"
	}
	return fmt.Sprintf("nothing answers at %s (%s)", ue.Address, cause)
}

// problemMessage is the human part of a problem document: the detail if
// any, else the title, else the code.
func problemMessage(e *api.Error) string {
	for _, s := range []string{e.Detail, e.Title, strings.ReplaceAll(e.Code, "_", " ")} {
		if s != "" {
			return s
		}
	}
	return fmt.Sprintf("status %d", e.Status)
}
