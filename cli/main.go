package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Main runs the meeboter command line with os.Args and returns the exit
// code instead of exiting, so main stays one line and testscript can run
// the binary in-process.
func Main() ExitCode {
	// Ctrl-C and SIGTERM cancel the command's context: requests stop,
	// `bot create --wait` stops waiting (the bot keeps running), and
	// `serve` shuts down gracefully.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return execute(ctx, NewFactory(), os.Args[1:])
}

// execute executes one command line against f and reports how it ended.
func execute(ctx context.Context, f *Factory, args []string) ExitCode {
	root := newCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	err = explainNotFound(ctx, f, cmd, err)
	if !errors.Is(err, context.Canceled) {
		printError(f.IO.ErrOut, err)
	}
	var flagErr *FlagError
	if errors.As(err, &flagErr) && cmd != nil {
		// One line, as gh does: the full help buries the error.
		fmt.Fprintf(f.IO.ErrOut, "Usage: %s\nRun '%s --help' for more.\n", cmd.UseLine(), cmd.CommandPath())
	}
	return exitCodeFor(err)
}

// run calls the test's runF when given, else the command's own run func.
func run[T any](runF, own func(*T) error, opts *T) error {
	if runF != nil {
		return runF(opts)
	}
	return own(opts)
}

// noArgs refuses positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return flagErrorf("unexpected argument %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// exactArgs wants n arguments, named in the error (e.g. "a bot ID").
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return flagErrorf("%s needs %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// minArgs wants at least n arguments.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return flagErrorf("%s needs %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// maxArgs allows at most n arguments.
func maxArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return flagErrorf("%s takes at most %s", cmd.CommandPath(), what)
		}
		return nil
	}
}
