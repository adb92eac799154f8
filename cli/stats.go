package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdStats groups the statistics commands.
func newCmdStats(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "stats <command>",
		Short:   "See how your bots fare",
		Example: `  $ meeboter stats admission --since 24h`,
	})
	cmd.AddCommand(newCmdStatsAdmission(f, nil))
	return cmd
}

type statsAdmissionOptions struct {
	deps
	Since, Until string

	From, To *time.Time
}

func newCmdStatsAdmission(f *Factory, runF func(*statsAdmissionOptions) error) *cobra.Command {
	opts := &statsAdmissionOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "admission [--since TIME] [--until TIME]",
		Short: "Show how often your bots are let into meetings, and how long they wait",
		Long: `Show, for your bots created in the range that tried to join, the share let
in, timed out in the waiting room or refused, and the time spent waiting
(p50, p90): overall, per meeting platform and per meeting host. --since and
--until are RFC 3339 times, dates or durations ago (24h, 7d); the default is
the last 7 days. Piped: group, key, bots, admitted, timed out, refused,
waiting, wait p50 and p90 in seconds.`,
		Example: `  $ meeboter stats admission
  $ meeboter stats admission --since 24h -o json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			for _, x := range []struct {
				flag, v string
				dst     **time.Time
			}{{"since", opts.Since, &opts.From}, {"until", opts.Until, &opts.To}} {
				if x.v == "" {
					continue
				}
				t, err := parseSince(x.flag, x.v, opts.Now())
				if err != nil {
					return err
				}
				*x.dst = &t
			}
			return run(runF, statsAdmissionRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Since, "since", "", "only bots created from then: RFC 3339, a date or a duration ago (default 7d)")
	cmd.Flags().StringVar(&opts.Until, "until", "", "only bots created before then (default now)")
	opts.Output.register(cmd)
	return cmd
}

func statsAdmissionRun(opts *statsAdmissionOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	st, err := c.AdmissionStats(opts.Ctx, opts.From, opts.To)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, st)
	}
	p := opts.printer()
	t := p.table("GROUP", "KEY", "BOTS", "ADMITTED", "TIMED-OUT", "REFUSED", "WAITING", "WAIT-P50", "WAIT-P90")
	add := func(kind string, g api.AdmissionGroup) {
		t.row(kind, g.Key, strconv.Itoa(g.Bots), countShare(p, g.Admitted, g.AdmittedShare), countShare(p, g.TimedOut, g.TimedOutShare),
			countShare(p, g.Refused, g.RefusedShare), strconv.Itoa(g.Waiting), waitSeconds(p, g.WaitP50Seconds), waitSeconds(p, g.WaitP90Seconds))
	}
	add("total", st.Total)
	for _, g := range st.MeetingPlatforms {
		add("platform", g)
	}
	for _, g := range st.Hosts {
		add("host", g)
	}
	return t.render()
}

// countShare is "3 (75%)" on a terminal and the count when piped.
func countShare(p *printer, n int, share float64) string {
	if !p.pretty {
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("%d (%.0f%%)", n, share*100)
}

// waitSeconds is a wait as a duration on a terminal, seconds when piped.
func waitSeconds(p *printer, s float64) string {
	if !p.pretty {
		return strconv.FormatFloat(s, 'f', 1, 64)
	}
	return (time.Duration(s * float64(time.Second))).Round(100 * time.Millisecond).String()
}
