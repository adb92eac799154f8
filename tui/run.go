package tui

import (
	"context"
	"errors"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Run shows the dashboard on the terminal until the user quits or ctx ends.
// Colour is on only when the output is a terminal that can show it and
// NO_COLOR is unset (colorprofile reads both), and opts.NoColor is false.
func Run(ctx context.Context, c Client, opts Options) error {
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	if colorprofile.Detect(opts.Output, os.Environ()) < colorprofile.ANSI {
		opts.NoColor = true
	}
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(opts.Output)}
	if opts.Input != nil {
		progOpts = append(progOpts, tea.WithInput(opts.Input))
	}
	_, err := tea.NewProgram(New(ctx, c, opts), progOpts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
