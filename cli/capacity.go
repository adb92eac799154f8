package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdCapacity groups the commands about capacity over time.
func newCmdCapacity(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "capacity <command>",
		Short:   "See capacity booked for scheduled bots",
		Example: `  $ meeboter capacity forecast --to +3h --step 15m`,
	})
	cmd.AddCommand(newCmdCapacityForecast(f, nil))
	return cmd
}

type capacityForecastOptions struct {
	deps
	From, To string
	Step     time.Duration

	FromTime, ToTime *time.Time
}

func newCmdCapacityForecast(f *Factory, runF func(*capacityForecastOptions) error) *cobra.Command {
	opts := &capacityForecastOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "forecast [--from TIME] [--to TIME] [--step DURATION]",
		Short: "Chart reserved, running and free capacity per platform",
		Long: `Chart, per platform and step, the capacity reserved for scheduled bots
(▓), held by running bots expected to still run (█), and free (░). --from
and --to are RFC 3339 times or +durations from now (default: the next hour);
--step defaults to 5m. Piped: platform, time, limit, reserved, running, free.`,
		Example: `  $ meeboter capacity forecast
  $ meeboter capacity forecast --from +20m --to +2h --step 10m`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			var err error
			if opts.FromTime, err = optionalTime("from", opts.From, opts.Now()); err != nil {
				return err
			}
			if opts.ToTime, err = optionalTime("to", opts.To, opts.Now()); err != nil {
				return err
			}
			if opts.Step < 0 || (opts.Step > 0 && opts.Step < time.Minute) {
				return flagErrorf("invalid --step %s: want at least 1m", opts.Step)
			}
			return run(runF, capacityForecastRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "start: RFC 3339 or +duration (default: now)")
	cmd.Flags().StringVar(&opts.To, "to", "", "end: RFC 3339 or +duration (default: an hour after --from)")
	cmd.Flags().DurationVar(&opts.Step, "step", 0, "length of a step (default 5m)")
	opts.Output.register(cmd)
	return cmd
}

// optionalTime reads an RFC 3339 time or a +duration from now; "" is nil.
func optionalTime(flag, v string, now time.Time) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if rel, ok := strings.CutPrefix(v, "+"); ok {
		d, err := parseDuration(rel)
		if err != nil || d < 0 {
			return nil, flagErrorf("invalid --%s %q: want RFC 3339 or +duration such as +2h", flag, v)
		}
		t := now.Add(d).UTC().Truncate(time.Second)
		return &t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, flagErrorf("invalid --%s %q: want RFC 3339 or +duration such as +2h", flag, v)
	}
	return &t, nil
}

func capacityForecastRun(opts *capacityForecastOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	fc, err := c.CapacityForecast(opts.Ctx, opts.FromTime, opts.ToTime, opts.Step)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, fc)
	}
	p := opts.printer()
	if !p.pretty {
		t := p.table("PLATFORM", "AT", "LIMIT", "RESERVED", "RUNNING", "FREE")
		for _, fp := range fc.Platforms {
			for _, st := range fp.Steps {
				t.row(fp.Platform, st.At.UTC().Format(time.RFC3339), strconv.Itoa(fp.Limit), strconv.Itoa(st.Reserved),
					strconv.Itoa(st.Running), strconv.Itoa(st.Free))
			}
		}
		return t.render()
	}
	_, err = fmt.Fprint(opts.IO.Out, forecastChart(p, fc))
	return err
}

// chartCells is the width of a forecast bar at the largest limit.
const chartCells = 24

// forecastChart draws one bar per step per platform: running, reserved,
// then free capacity, each cell a share of the largest limit, with the
// counts beside it.
func forecastChart(p *printer, fc *api.CapacityForecast) string {
	var sb strings.Builder
	widest := 1
	for _, fp := range fc.Platforms {
		widest = max(widest, fp.Limit)
	}
	for i, fp := range fc.Platforms {
		if i > 0 {
			sb.WriteString("\n")
		}
		name := fp.Platform
		if p.color {
			name = paint(styleHeader, name)
		}
		fmt.Fprintf(&sb, "%s (limit %d)\n", name, fp.Limit)
		for _, st := range fp.Steps {
			fmt.Fprintf(&sb, "  %s  %s  %d running, %d reserved, %d free\n", st.At.Local().Format("15:04"),
				forecastBar(p, fp.Limit, widest, st), st.Running, st.Reserved, st.Free)
		}
	}
	sb.WriteString("█ running  ▓ reserved  ░ free\n")
	return sb.String()
}

// forecastBar is one step's bar; holdings past the limit still show.
func forecastBar(p *printer, limit, widest int, st api.ForecastStep) string {
	per := float64(chartCells) / float64(widest)
	cells := func(n int) int { return int(float64(n)*per + 0.5) }
	run, res := cells(st.Running), cells(st.Reserved)
	free := max(0, cells(limit)-run-res)
	pad := max(0, chartCells-run-res-free)
	if !p.color {
		return strings.Repeat("█", run) + strings.Repeat("▓", res) + strings.Repeat("░", free) + strings.Repeat(" ", pad)
	}
	return paint(styleLive, strings.Repeat("█", run)) + paint(styleWait, strings.Repeat("▓", res)) +
		paint(styleFaint, strings.Repeat("░", free)) + strings.Repeat(" ", pad)
}
