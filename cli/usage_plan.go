package cli

import (
	"strconv"

	"github.com/spf13/cobra"
)

type usagePlanOptions struct {
	deps
	TZ string
}

func newCmdUsagePlan(f *Factory, runF func(*usagePlanOptions) error) *cobra.Command {
	opts := &usagePlanOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show your plan: bots left today, and bots running against your concurrency cap",
		Example: `  $ meeboter usage plan
  $ meeboter usage plan --json | jq .remaining`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, usagePlanRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.TZ, "tz", "", "time zone \"today\" is in (default: the daemon's)")
	opts.Output.register(cmd)
	return cmd
}

func usagePlanRun(opts *usagePlanOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	plan, err := c.Plan(opts.Ctx, opts.TZ)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, plan)
	}
	unlimited := func(n *int) string {
		if n == nil {
			return "unlimited"
		}
		return strconv.Itoa(*n)
	}
	return opts.printer().detail([][2]string{
		{"plan", plan.Plan},
		{"daily_limit", unlimited(plan.DailyLimit)},
		{"used_today", strconv.Itoa(plan.UsedToday)},
		{"remaining", unlimited(plan.Remaining)},
		{"resets_at", plan.ResetsAt},
		{"time_zone", plan.TimeZone},
		{"concurrent_limit", unlimited(plan.ConcurrentLimit)},
		{"running", strconv.Itoa(plan.Running)},
	})
}
