package cli

import (
	"github.com/spf13/cobra"
)

type botGetOptions struct {
	deps
	ID int64
}

func newCmdBotGet(f *Factory, runF func(*botGetOptions) error) *cobra.Command {
	opts := &botGetOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "get ID",
		Aliases: []string{"view"},
		Short:   "Show one bot",
		Example: `  $ meeboter bot get 42
  $ meeboter bot get 42 --json | jq -r .status`,
		Args: exactArgs(1, "a bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, botGetRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func botGetRun(opts *botGetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	bot, err := c.Bots().Get(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	return printBotAs(&opts.deps, bot)
}
