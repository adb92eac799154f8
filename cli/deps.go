package cli

import (
	"cmp"
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// deps are what almost every client command takes from the Factory, plus
// the output flags; xOptions structs embed it.
type deps struct {
	IO     *IOStreams
	Client func() (*api.Client, error)
	Now    func() time.Time
	Output outputFlags
	// Ctx is the command's context, cancelled by Ctrl-C.
	Ctx context.Context

	followRetry  time.Duration
	followLinger time.Duration
}

func newDeps(f *Factory) deps {
	return deps{IO: f.IO, Client: f.Client, Now: f.Now, Ctx: context.Background(),
		followRetry: cmp.Or(f.followRetry, time.Second), followLinger: cmp.Or(f.followLinger, time.Second)}
}

// bind takes the command's context; call it first in RunE.
func (d *deps) bind(cmd *cobra.Command) {
	if ctx := cmd.Context(); ctx != nil {
		d.Ctx = ctx
	}
}

// printer returns the formatter for the chosen output mode.
func (d *deps) printer() *printer { return newPrinter(d.IO, d.Output, d.Now) }

// hint writes a line for people on stderr (never data).
func (d *deps) hint(format string, args ...any) {
	fprintfLine(d.IO.ErrOut, format, args...)
}
