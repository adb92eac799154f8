package cli

import (
	"context"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

func newCmdBotEvents(f *Factory, runF func(*botPageOptions) error) *cobra.Command {
	return newBotPageCmd(f, &cobra.Command{
		Use:   "events ID",
		Short: "List what happened to a bot, oldest first",
		Long: `List a bot's events (status changes, participants joining, chat, ...),
oldest first. Piped: id, time (RFC 3339), type, data as compact JSON.`,
		Example: `  $ meeboter bot events 42
  $ meeboter bot events 42 --all --json | jq '.items[] | select(.type == "PARTICIPANT_JOIN")'`,
	}, "events", runF, botEventsRun)
}

func botEventsRun(opts *botPageOptions) error {
	return listBotPages(opts, func(c *api.Client, ctx context.Context, id int64, cursor string, limit int) (*api.List[api.Event], error) {
		return c.Bots().Events(ctx, id, cursor, limit)
	}, printEvents)
}

// printEvents prints events as a table.
func printEvents(p *printer, events []api.Event) error {
	t := p.table("ID", "TIME", "TYPE", "DATA")
	for _, e := range events {
		t.row(strconv.FormatInt(e.ID, 10), p.time(e.Time), e.Type, p.orNone(string(e.Data)))
	}
	return t.render()
}
