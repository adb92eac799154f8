package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// endAction is cancel or leave: both end bots, one id at a time or in
// bulk, and print the same way.
type endAction struct {
	Use, Short, Long, Example, Done string
	One                             func(ctx context.Context, c *api.Client, id int64) (*api.Bot, error)
	Many                            func(ctx context.Context, c *api.Client, ids []int64) (*api.BulkResult, error)
}

var endCancel = endAction{
	Use:   "cancel ID...",
	Short: "Cancel bots before they join",
	Long: `Cancel scheduled, queued or deploying bots: they end DONE with reason
"cancelled", leave the queue for good and free their capacity. One id uses the single-bot endpoint,
several use the bulk one; any bot that could not be cancelled is listed on
stderr and the command exits 1.`,
	Example: `  $ meeboter bot cancel 42
  $ meeboter bot list --status QUEUED --all | cut -f1 | xargs meeboter bot cancel`,
	Done: "cancelled",
	One: func(ctx context.Context, c *api.Client, id int64) (*api.Bot, error) {
		return c.Bots().Cancel(ctx, id)
	},
	Many: func(ctx context.Context, c *api.Client, ids []int64) (*api.BulkResult, error) {
		return c.Bots().BulkCancel(ctx, ids)
	},
}

var endLeave = endAction{
	Use:   "leave ID...",
	Short: "Ask bots in a call to leave it",
	Long: `Ask running bots to leave their call. They move to LEAVING and leave at
their next heartbeat. One id uses the single-bot endpoint, several use the
bulk one; any bot that could not be asked is listed on stderr (exit 1).`,
	Example: `  $ meeboter bot leave 42
  $ meeboter bot leave 42 43 44`,
	Done: "asked to leave",
	One: func(ctx context.Context, c *api.Client, id int64) (*api.Bot, error) {
		return c.Bots().Leave(ctx, id)
	},
	Many: func(ctx context.Context, c *api.Client, ids []int64) (*api.BulkResult, error) {
		return c.Bots().BulkLeave(ctx, ids)
	},
}

type botEndOptions struct {
	deps
	Action endAction
	IDs    []int64
}

func newCmdBotEnd(f *Factory, action endAction, runF func(*botEndOptions) error) *cobra.Command {
	opts := &botEndOptions{deps: newDeps(f), Action: action}
	cmd := &cobra.Command{
		Use:     action.Use,
		Short:   action.Short,
		Long:    action.Long,
		Example: action.Example,
		Args:    minArgs(1, "at least one bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			ids, err := parseIDs(args, "bot")
			if err != nil {
				return err
			}
			opts.IDs = ids
			return run(runF, botEndRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func botEndRun(opts *botEndOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if len(opts.IDs) == 1 {
		bot, err := opts.Action.One(opts.Ctx, c, opts.IDs[0])
		if err != nil {
			return err
		}
		opts.hint("%s bot %d", opts.Action.Done, bot.ID)
		return printBotAs(&opts.deps, bot)
	}
	res, err := opts.Action.Many(opts.Ctx, c, opts.IDs)
	if err != nil {
		return err
	}
	return printBulk(&opts.deps, res, opts.Action.Done)
}

// printBulk prints a bulk result: the ids acted on (stdout), the
// failures (stderr), and exits 1 if anything failed.
func printBulk(d *deps, res *api.BulkResult, done string) error {
	if d.Output.isJSON() {
		if err := writeJSON(d.IO.Out, res); err != nil {
			return err
		}
	} else {
		for _, id := range res.Succeeded {
			fmt.Fprintln(d.IO.Out, strconv.FormatInt(id, 10))
		}
		d.hint("%s %d bot(s)", done, len(res.Succeeded))
	}
	for _, f := range res.Failed {
		d.hint("bot %d: %s (%s)", f.BotID, f.Error, f.Code)
	}
	if len(res.Failed) > 0 {
		return &SilentError{Code: ExitError}
	}
	return nil
}
