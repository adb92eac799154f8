package cli

import (
	"bytes"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the standard streams of a command with what is known about
// them, so output can adapt: tables and colour on a terminal, plain
// tab-separated text when piped.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	noColor   bool
}

// SystemIO returns the process's streams. Colour is off when NO_COLOR is
// set (https://no-color.org) or TERM is "dumb".
func SystemIO() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  term.IsTerminal(os.Stdin.Fd()),
		stdoutTTY: term.IsTerminal(os.Stdout.Fd()),
		stderrTTY: term.IsTerminal(os.Stderr.Fd()),
		noColor:   os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb",
	}
}

// TestIO returns streams backed by buffers, none of them a terminal and
// colour off; tests flip what they need with the setters.
func TestIO() (ios *IOStreams, stdin, stdout, stderr *bytes.Buffer) {
	stdin, stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: stdin, Out: stdout, ErrOut: stderr, noColor: true}, stdin, stdout, stderr
}

// IsStdinTTY reports whether input comes from a terminal (so prompting
// makes sense).
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal: tables with padding
// and relative times instead of tab-separated values.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorEnabled reports whether stdout may carry ANSI colour: only on a
// terminal, and never with NO_COLOR.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.noColor }

// ErrColorEnabled is ColorEnabled for stderr.
func (s *IOStreams) ErrColorEnabled() bool { return s.stderrTTY && !s.noColor }

// SetStdinTTY overrides terminal detection for stdin.
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY overrides terminal detection for stdout.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY overrides terminal detection for stderr.
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetColorEnabled forces colour on or off (on still needs a terminal).
func (s *IOStreams) SetColorEnabled(v bool) { s.noColor = !v }
