package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type botLogsOptions struct {
	deps
	ID     int64
	Follow bool

	seen logSeen
}

func newCmdBotLogs(f *Factory, runF func(*botLogsOptions) error) *cobra.Command {
	opts := &botLogsOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "logs ID",
		Short: "Print a bot's log",
		Long: `Print a bot's whole log, oldest first. With -f, keep printing new lines as
the bot sends them (status changes go to stderr) until it ends: exit 0 on
DONE, 6 on FATAL. Bots send their last lines as they exit, so after the
end -f waits until no line came for a second (five seconds at most) and
reads the log once more. If the daemon restarts, -f reconnects and catches
up. Every line is printed once, however the listing and the stream
overlap.

Piped: time (RFC 3339, with fractions), level, message, fields as JSON.
With --json: the api.List of log entries, or with -f one entry per line.`,
		Example: `  $ meeboter bot logs 42
  $ meeboter bot logs 42 -f
  $ meeboter bot logs 42 | awk -F'\t' '$2 == "ERROR"'`,
		Args: exactArgs(1, "a bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, botLogsRun, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Follow, "follow", "f", false, "keep printing new lines until the bot ends")
	opts.Output.register(cmd)
	return cmd
}

func botLogsRun(opts *botLogsOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if !opts.Follow {
		list, err := opts.fetch(opts.Ctx, c)
		if err != nil {
			return err
		}
		if opts.Output.isJSON() {
			return writeJSON(opts.IO.Out, list)
		}
		return opts.print(list.Items)
	}
	fl := newFollower(&opts.deps, c, opts.ID)
	fl.Linger, fl.LingerMax = opts.followLinger, 5*opts.followLinger
	fl.OnConnect = func(ctx context.Context) error { return opts.catchUp(ctx, c) }
	fl.OnEvent = func(ev api.StreamEvent) error {
		if ev.Type != "log" || ev.Log == nil {
			return nil
		}
		return opts.print([]api.LogEntry{*ev.Log})
	}
	bot, err := fl.run(opts.Ctx)
	if err != nil {
		return err
	}
	// Lines stored after the stream's last message (the daemon batches
	// what it captures from bot processes) are in the log by now.
	if err := opts.catchUp(opts.Ctx, c); err != nil {
		return err
	}
	return endError(bot)
}

// fetch reads every page of the log.
func (o *botLogsOptions) fetch(ctx context.Context, c *api.Client) (*api.List[api.LogEntry], error) {
	return fetchPages(ctx, pageFlags{All: true}, func(ctx context.Context, cursor string, limit int) (*api.List[api.LogEntry], error) {
		return c.Bots().Logs(ctx, o.ID, cursor, limit)
	})
}

// catchUp prints lines logged while no stream was open.
func (o *botLogsOptions) catchUp(ctx context.Context, c *api.Client) error {
	list, err := o.fetch(ctx, c)
	if err != nil {
		return err
	}
	return o.print(list.Items)
}

// print writes lines not printed yet; ids only grow, and streamed lines
// carry theirs, so one number removes the overlap between the listing,
// the stream and a resumed stream.
func (o *botLogsOptions) print(entries []api.LogEntry) error {
	p := o.printer()
	for _, e := range entries {
		if !o.seen.add(e) {
			continue
		}
		if err := o.printLine(p, e); err != nil {
			return err
		}
	}
	return nil
}

func (o *botLogsOptions) printLine(p *printer, e api.LogEntry) error {
	if o.Output.isJSON() {
		return json.NewEncoder(o.IO.Out).Encode(e)
	}
	if !p.pretty {
		_, err := fmt.Fprintf(o.IO.Out, "%s\t%s\t%s\t%s\n", e.Time.UTC().Format(time.RFC3339Nano), e.Level, oneLine(e.Message), string(e.Fields))
		return err
	}
	line := fmt.Sprintf("%s %-5s %s", e.Time.Local().Format("15:04:05.000"), e.Level, e.Message)
	if len(e.Fields) > 0 && string(e.Fields) != "{}" && string(e.Fields) != "null" {
		line += " " + string(e.Fields)
	}
	_, err := fmt.Fprintln(o.IO.Out, line)
	return err
}
