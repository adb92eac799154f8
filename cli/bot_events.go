package cli

import (
	"context"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type botEventsOptions struct {
	deps
	ID   int64
	Page pageFlags
}

func newCmdBotEvents(f *Factory, runF func(*botEventsOptions) error) *cobra.Command {
	opts := &botEventsOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "events ID",
		Short: "List what happened to a bot, oldest first",
		Long: `List a bot's events (status changes, participants joining, chat, ...),
oldest first. Piped: time (RFC 3339), type, data as compact JSON.`,
		Example: `  $ meeboter bot events 42
  $ meeboter bot events 42 --all --json | jq '.items[] | select(.type == "PARTICIPANT_JOIN")'`,
		Args: exactArgs(1, "a bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID = id
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, botEventsRun, opts)
		},
	}
	opts.Page.register(cmd, "events")
	opts.Output.register(cmd)
	return cmd
}

func botEventsRun(opts *botEventsOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.Event], error) {
		return c.Bots().Events(ctx, opts.ID, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("ID", "TIME", "TYPE", "DATA")
	for _, e := range list.Items {
		t.row(strconv.FormatInt(e.ID, 10), p.time(e.Time), e.Type, p.orNone(string(e.Data)))
	}
	if err := t.render(); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}
