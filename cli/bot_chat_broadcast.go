package cli

import (
	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type chatBroadcastOptions struct {
	deps
	BotArgs []string
	BotIDs  []int64
	Text    string
}

func newCmdChatBroadcast(f *Factory, runF func(*chatBroadcastOptions) error) *cobra.Command {
	opts := &chatBroadcastOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "broadcast --bot ID... TEXT",
		Short: "Queue one message for many bots",
		Long: `Queue the same chat message for several bots. The ids the daemon accepted
are printed on stdout; bots it refused are listed on stderr (exit 1).`,
		Example: `  $ meeboter bot chat broadcast --bot 42 --bot 43 "We start in two minutes"
  $ meeboter bot chat broadcast --bot 42,43,44 "Thanks, all"`,
		Args: exactArgs(1, "the message text"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			ids, err := botFlagIDs(opts.BotArgs)
			if err != nil {
				return err
			}
			opts.BotIDs, opts.Text = ids, args[0]
			return run(runF, chatBroadcastRun, opts)
		},
	}
	cmd.Flags().StringSliceVarP(&opts.BotArgs, "bot", "b", nil, "bot to post through (repeatable, or comma-separated)")
	opts.Output.register(cmd)
	return cmd
}

// botFlagIDs reads --bot values, of which there must be at least one.
func botFlagIDs(args []string) ([]int64, error) {
	if len(args) == 0 {
		return nil, flagErrorf("give at least one --bot")
	}
	return parseIDs(args, "bot")
}

func chatBroadcastRun(opts *chatBroadcastOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	res, err := c.Chat().Broadcast(opts.Ctx, api.BroadcastChatRequest{BotIDs: opts.BotIDs, Text: opts.Text})
	if err != nil {
		return err
	}
	return printBulk(&opts.deps, res, "queued the message for")
}
