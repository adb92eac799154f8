package cli

import (
	"context"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type botListOptions struct {
	deps
	Page     pageFlags
	Statuses []string
	Platform string
	Since    string
	Until    string
	Metadata []string

	// Filter is built from the flags by newCmdBotList.
	Filter api.BotListOptions
}

func newCmdBotList(f *Factory, runF func(*botListOptions) error) *cobra.Command {
	opts := &botListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List bots, newest first",
		Long: `List your bots, newest first (admins see every bot).

On a terminal this is a table; piped, it is tab-separated without a header:
id, status, meeting platform, name, deployment platform, created (RFC 3339).`,
		Example: `  # bots in a call right now
  $ meeboter bot list --status IN_CALL --status IN_WAITING_ROOM

  # everything that failed in the last day, as JSON
  $ meeboter bot list --status FATAL --since 24h --all --json

  # ids of the sales team's bots
  $ meeboter bot list --metadata team=sales --all | cut -f1`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.buildFilter(); err != nil {
				return err
			}
			return run(runF, botListRun, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&opts.Statuses, "status", "s", nil, "only bots in this status (repeatable)")
	fl.StringVar(&opts.Platform, "meeting-platform", "", "only bots for this meeting platform (google-meet, microsoft-teams, zoom)")
	fl.StringVar(&opts.Platform, "platform", "", "meeting platform (deprecated: use --meeting-platform)")
	_ = fl.MarkDeprecated("platform", "use --meeting-platform; PLATFORM in the output is where the bot runs")
	fl.StringVar(&opts.Since, "since", "", "created at or after: RFC 3339, YYYY-MM-DD, or a duration ago (24h, 7d)")
	fl.StringVar(&opts.Until, "until", "", "created before: same forms as --since")
	fl.StringArrayVar(&opts.Metadata, "metadata", nil, "only bots with this key=value (repeatable)")
	opts.Page.register(cmd, "bots")
	opts.Output.register(cmd)
	return cmd
}

// buildFilter checks the flags and turns them into list options.
func (o *botListOptions) buildFilter() error {
	if err := o.Page.validate(); err != nil {
		return err
	}
	o.Filter = api.BotListOptions{MeetingPlatform: o.Platform, Cursor: o.Page.Cursor, Limit: o.Page.Limit}
	for _, s := range o.Statuses {
		st := api.BotStatus(strings.ToUpper(s))
		if !st.Valid() {
			return flagErrorf("invalid --status %q: use one of %s", s, statusNames())
		}
		o.Filter.Statuses = append(o.Filter.Statuses, st)
	}
	for _, b := range []struct {
		name, value string
		dst         **time.Time
	}{{"since", o.Since, &o.Filter.CreatedFrom}, {"until", o.Until, &o.Filter.CreatedTo}} {
		if b.value == "" {
			continue
		}
		t, err := parseSince(b.name, b.value, o.Now())
		if err != nil {
			return err
		}
		*b.dst = &t
	}
	md, err := parseMetadata(o.Metadata)
	o.Filter.Metadata = md
	return err
}

func statusNames() string {
	names := make([]string, len(api.AllStatuses))
	for i, s := range api.AllStatuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func botListRun(opts *botListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.Bot], error) {
		f := opts.Filter
		f.Cursor, f.Limit = cursor, limit
		return c.Bots().List(ctx, f)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	if len(list.Items) == 0 && opts.IO.IsStdoutTTY() {
		opts.hint("no bots match")
		return nil
	}
	if err := printBots(opts.printer(), list.Items); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}
