package cli

import (
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

// newCmdPlan groups the plan commands (admins only).
func newCmdPlan(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "plan <command>",
		Aliases: []string{"plans"},
		Short:   "Manage plans: daily bots, concurrent bots, maximum bot duration (admins)",
		Example: `  $ meeboter plan create team --daily 100 --concurrent 2 --max-duration 2h
  $ meeboter plan list
  $ meeboter user set-plan 4 team`,
	})
	cmd.AddCommand(adminOnly(newCmdPlanList(f, nil)), adminOnly(newCmdPlanCreate(f, nil)))
	return cmd
}

type planListOptions struct{ deps }

func newCmdPlanList(f *Factory, runF func(*planListOptions) error) *cobra.Command {
	opts := &planListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the plans (admins)",
		Long:    "List the plans. Piped: name, daily bots, concurrent bots, maximum bot duration (seconds); 0 where unlimited.",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, planListRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func planListRun(opts *planListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := c.Plans().List(opts.Ctx)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("NAME", "DAILY", "CONCURRENT", "MAX DURATION")
	for _, pl := range list.Items {
		t.row(pl.Name, limitText(p, pl.DailyBots), limitText(p, pl.ConcurrentBots), durationText(p, pl.MaxBotDurationSeconds))
	}
	return t.render()
}

// limitText shows a limit: "unlimited" on a terminal, 0 when piped.
func limitText(p *printer, n *int) string {
	switch {
	case n != nil:
		return strconv.Itoa(*n)
	case p.pretty:
		return "unlimited"
	}
	return "0"
}

// durationText shows a duration in seconds: "default" on a terminal for
// none, the seconds when piped.
func durationText(p *printer, secs int) string {
	switch {
	case !p.pretty:
		return strconv.Itoa(secs)
	case secs == 0:
		return "default"
	}
	return (time.Duration(secs) * time.Second).String()
}

type planCreateOptions struct {
	deps
	Request api.CreatePlanRequest
}

func newCmdPlanCreate(f *Factory, runF func(*planCreateOptions) error) *cobra.Command {
	opts := &planCreateOptions{deps: newDeps(f)}
	var daily, concurrent int
	var maxDuration time.Duration
	cmd := &cobra.Command{
		Use:   "create NAME [--daily N] [--concurrent N] [--max-duration D]",
		Short: "Create a plan (admins)",
		Long: `Create a plan. A limit not given is none. --concurrent caps the bots of a
user that hold capacity at once: a create over it answers 429
concurrency_limit (or waits in the queue when asked). --max-duration caps,
and defaults, a bot's maximum duration.`,
		Example: `  $ meeboter plan create team --daily 100 --concurrent 2 --max-duration 2h`,
		Args:    exactArgs(1, "a plan name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			opts.Request.Name = args[0]
			if cmd.Flags().Changed("daily") {
				opts.Request.DailyBots = &daily
			}
			if cmd.Flags().Changed("concurrent") {
				opts.Request.ConcurrentBots = &concurrent
			}
			if maxDuration%time.Second != 0 || maxDuration < 0 {
				return flagErrorf("invalid --max-duration %s: want whole seconds, such as 90m", maxDuration)
			}
			opts.Request.MaxBotDurationSeconds = int(maxDuration / time.Second)
			return run(runF, planCreateRun, opts)
		},
	}
	cmd.Flags().IntVar(&daily, "daily", 0, "bots a user may create per day (default: no limit)")
	cmd.Flags().IntVar(&concurrent, "concurrent", 0, "bots a user may run at once (default: no limit)")
	cmd.Flags().DurationVar(&maxDuration, "max-duration", 0, "longest a bot may stay in a call (default: the daemon's)")
	opts.Output.register(cmd)
	return cmd
}

func planCreateRun(opts *planCreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	pl, err := c.Plans().Create(opts.Ctx, opts.Request)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, pl)
	}
	p := opts.printer()
	return p.detail([][2]string{{"name", pl.Name}, {"daily_bots", limitText(p, pl.DailyBots)},
		{"concurrent_bots", limitText(p, pl.ConcurrentBots)}, {"max_bot_duration", durationText(p, pl.MaxBotDurationSeconds)}})
}
