package cli

import (
	"github.com/spf13/cobra"
)

type botDeleteOptions struct {
	deps
	ID int64
}

func newCmdBotDelete(f *Factory, runF func(*botDeleteOptions) error) *cobra.Command {
	opts := &botDeleteOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a bot that has ended or not started",
		Long: `Delete a bot with its events, logs and chat. A running bot cannot be
deleted: make it leave (meeboter bot leave) or cancel it first.`,
		Example: `  $ meeboter bot delete 42`,
		Args:    exactArgs(1, "a bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, botDeleteRun, opts)
		},
	}
	return cmd
}

func botDeleteRun(opts *botDeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.Bots().Delete(opts.Ctx, opts.ID); err != nil {
		return err
	}
	opts.hint("deleted bot %d", opts.ID)
	return nil
}
