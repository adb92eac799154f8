package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

type usageOptions struct {
	deps
	From string
	To   string
	TZ   string
	Cost bool

	// FromDate and ToDate are the first and last day asked for; the
	// daemon counts both.
	FromDate time.Time
	ToDate   time.Time
}

func newCmdUsage(f *Factory) *cobra.Command {
	cmd := newCmdUsageDays(f, nil)
	cmd.AddCommand(newCmdUsagePlan(f, nil))
	return cmd
}

func newCmdUsageDays(f *Factory, runF func(*usageOptions) error) *cobra.Command {
	opts := &usageOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "usage [--from DATE] [--to DATE] [--tz ZONE]",
		Short: "Show bots and bot-minutes per day",
		Long: `Show how many bots ran and for how many minutes, per day, counting each bot
from its deploy start to its end. --from and --to are both included and
default to the last 7 days, today included; days are in --tz (an IANA zone,
default UTC). Piped: date, bots, bot-minutes. With --cost: per platform, the
bots, bot-hours, cost per bot-hour and estimated cost, at the rates the
daemon is configured with (LOCAL_COST_PER_HOUR, K8S_COST_PER_HOUR, ...).`,
		Example: `  $ meeboter usage
  $ meeboter usage --from 2026-04-01 --to 2026-04-30 --tz Europe/Berlin
  $ meeboter usage --cost
  $ meeboter usage plan`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.resolveDates(); err != nil {
				return err
			}
			return run(runF, usageRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "first day, YYYY-MM-DD (default: 6 days ago)")
	cmd.Flags().StringVar(&opts.To, "to", "", "last day, YYYY-MM-DD, included (default: today)")
	cmd.Flags().StringVar(&opts.TZ, "tz", "UTC", "time zone the days are in, e.g. Europe/Berlin")
	cmd.Flags().BoolVar(&opts.Cost, "cost", false, "show bot-hours and estimated cost per platform instead of days")
	opts.Output.register(cmd)
	return cmd
}

// resolveDates checks the zone and dates and fills the defaults.
func (o *usageOptions) resolveDates() error {
	loc, err := time.LoadLocation(o.TZ)
	if err != nil {
		return flagErrorf("invalid --tz %q: want an IANA zone such as Europe/Berlin", o.TZ)
	}
	now := o.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	o.FromDate, o.ToDate = today.AddDate(0, 0, -6), today
	for _, d := range []struct {
		flag, value string
		dst         *time.Time
	}{{"from", o.From, &o.FromDate}, {"to", o.To, &o.ToDate}} {
		if d.value == "" {
			continue
		}
		if *d.dst, err = time.Parse(time.DateOnly, d.value); err != nil {
			return flagErrorf("invalid --%s %q: want YYYY-MM-DD", d.flag, d.value)
		}
	}
	if o.ToDate.Before(o.FromDate) {
		return flagErrorf("--to is before --from")
	}
	return nil
}

func usageRun(opts *usageOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	u, err := c.Usage(opts.Ctx, opts.FromDate, opts.ToDate, opts.TZ)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, u)
	}
	p := opts.printer()
	if opts.Cost {
		return usageCostTable(p, u)
	}
	t := p.table("DATE", "BOTS", "BOT-MINUTES")
	bots, minutes := 0, 0.0
	for _, d := range u.Days {
		t.row(d.Date, strconv.Itoa(d.Bots), strconv.FormatFloat(d.BotMinutes, 'f', 1, 64))
		bots, minutes = bots+d.Bots, minutes+d.BotMinutes
	}
	if p.pretty {
		t.row("total", strconv.Itoa(bots), strconv.FormatFloat(minutes, 'f', 1, 64))
	}
	if err := t.render(); err != nil {
		return err
	}
	if plan, err := c.Plan(opts.Ctx, opts.TZ); err == nil {
		fmt.Fprintln(opts.IO.ErrOut, limitsLine(plan))
	}
	return nil
}

// limitsLine says both limits of a plan in one line, for stderr under the
// usage table: it is a hint, not data.
func limitsLine(p *api.Plan) string {
	daily, concurrent := "no daily limit", "no concurrency cap"
	if p.DailyLimit != nil {
		daily = fmt.Sprintf("%d bots a day", *p.DailyLimit)
		if p.Remaining != nil {
			daily += fmt.Sprintf(" (%d left today)", *p.Remaining)
		}
	}
	if p.ConcurrentLimit != nil {
		concurrent = fmt.Sprintf("%d at once (%d running)", *p.ConcurrentLimit, p.Running)
	}
	return fmt.Sprintf("plan %s: %s, %s", p.Plan, daily, concurrent)
}

// usageCostTable prints bot-hours and estimated cost per platform.
func usageCostTable(p *printer, u *api.Usage) error {
	t := p.table("PLATFORM", "BOTS", "BOT-HOURS", "COST/HOUR", "EST-COST")
	hours := 0.0
	for _, pl := range u.Platforms {
		t.row(pl.Platform, strconv.Itoa(pl.Bots), strconv.FormatFloat(pl.BotHours, 'f', 3, 64),
			strconv.FormatFloat(pl.CostPerHour, 'f', -1, 64), strconv.FormatFloat(pl.EstimatedCost, 'f', 4, 64))
		hours += pl.BotHours
	}
	if p.pretty {
		t.row("total", "", strconv.FormatFloat(hours, 'f', 3, 64), "", strconv.FormatFloat(u.EstimatedCost, 'f', 4, 64))
	}
	return t.render()
}
