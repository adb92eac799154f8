package cli

import (
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

type userUpdateOptions struct {
	deps
	ID      int64
	Request api.UpdateUserRequest
}

func newCmdUserSetPlan(f *Factory, runF func(*userUpdateOptions) error) *cobra.Command {
	opts := &userUpdateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "set-plan ID PLAN",
		Short: "Put a user on a plan (admins)",
		Long: `Put a user on a plan; it wins over any subscription. PLAN "-" takes the
user off it, back to their subscription's plan (or FREE).`,
		Example: `  $ meeboter user set-plan 4 team
  $ meeboter user set-plan 4 -`,
		Args: exactArgs(2, "a user ID and a plan"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "user")
			if err != nil {
				return err
			}
			opts.ID = id
			if args[1] == "-" {
				opts.Request.Clear = []string{"plan"}
			} else {
				opts.Request.Plan = &args[1]
			}
			return run(runF, userUpdateRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func newCmdUserSetLimits(f *Factory, runF func(*userUpdateOptions) error) *cobra.Command {
	opts := &userUpdateOptions{deps: newDeps(f)}
	var daily, concurrent, window string
	cmd := &cobra.Command{
		Use:   "set-limits ID [--daily N] [--concurrent N] [--dedup-window D]",
		Short: "Set a user's own limits over their plan's (admins)",
		Long: `Set a user's own limits, which win over their plan's. "plan" as a value
drops the user's own limit, back to the plan's. --dedup-window refuses a
second live bot for one meeting created within it (0 turns it off).`,
		Example: `  $ meeboter user set-limits 4 --concurrent 2
  $ meeboter user set-limits 4 --daily plan --dedup-window 5m`,
		Args: exactArgs(1, "a user ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "user")
			if err != nil {
				return err
			}
			opts.ID = id
			if err := opts.limits(cmd, daily, concurrent, window); err != nil {
				return err
			}
			return run(runF, userUpdateRun, opts)
		},
	}
	cmd.Flags().StringVar(&daily, "daily", "", `bots per day, or "plan"`)
	cmd.Flags().StringVar(&concurrent, "concurrent", "", `bots at once, or "plan"`)
	cmd.Flags().StringVar(&window, "dedup-window", "", `duplicate-bot window such as 5m, or "plan" (none)`)
	opts.Output.register(cmd)
	return cmd
}

// limits reads the limit flags into the request: a number sets a limit,
// "plan" clears it.
func (o *userUpdateOptions) limits(cmd *cobra.Command, daily, concurrent, window string) error {
	set := func(flag, value, member string, dst **int, parse func(string) (int, error)) error {
		if !cmd.Flags().Changed(flag) {
			return nil
		}
		if value == "plan" {
			o.Request.Clear = append(o.Request.Clear, member)
			return nil
		}
		n, err := parse(value)
		if err != nil || n < 0 {
			return flagErrorf("invalid --%s %q: want a number of zero or more, or \"plan\"", flag, value)
		}
		*dst = &n
		return nil
	}
	seconds := func(s string) (int, error) {
		d, err := time.ParseDuration(s)
		return int(d / time.Second), err
	}
	if err := set("daily", daily, "customDailyBotLimit", &o.Request.CustomDailyBotLimit, strconv.Atoi); err != nil {
		return err
	}
	if err := set("concurrent", concurrent, "maxConcurrentBots", &o.Request.MaxConcurrentBots, strconv.Atoi); err != nil {
		return err
	}
	if err := set("dedup-window", window, "dedupWindowSeconds", &o.Request.DedupWindowSeconds, seconds); err != nil {
		return err
	}
	r := o.Request
	if r.CustomDailyBotLimit == nil && r.MaxConcurrentBots == nil && r.DedupWindowSeconds == nil && len(r.Clear) == 0 {
		return flagErrorf("set at least one of --daily, --concurrent, --dedup-window")
	}
	return nil
}

func userUpdateRun(opts *userUpdateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	u, err := c.Users().Update(opts.Ctx, opts.ID, opts.Request)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, u)
	}
	p := opts.printer()
	plan := "(subscription)"
	if u.Plan != nil {
		plan = *u.Plan
	}
	own := func(n *int) string {
		if n == nil {
			return "plan's"
		}
		return strconv.Itoa(*n)
	}
	return p.detail([][2]string{{"id", strconv.FormatInt(u.ID, 10)}, {"email", u.Email}, {"plan", plan},
		{"daily_limit", own(u.CustomDailyBotLimit)}, {"concurrent_limit", own(u.MaxConcurrentBots)},
		{"dedup_window", (time.Duration(u.DedupWindowSeconds) * time.Second).String()}})
}
