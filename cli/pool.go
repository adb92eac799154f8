package cli

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/bar"
	"github.com/spf13/cobra"
)

// newCmdPool groups the capacity commands.
func newCmdPool(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:   "pool <command>",
		Short: "See platform capacity and pool slots",
		Example: `  $ meeboter pool status
  $ meeboter pool slots list
  $ meeboter pool slots create --platform zoom --count 3
  $ meeboter pool sync`,
	})
	cmd.AddCommand(newCmdPoolStatus(f, nil), newCmdPoolSlots(f, nil), newCmdPoolSync(f, nil))
	return cmd
}

type poolStatusOptions struct {
	deps
}

func newCmdPoolStatus(f *Factory, runF func(*poolStatusOptions) error) *cobra.Command {
	opts := &poolStatusOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show capacity used and free per platform",
		Long: `Show each platform's capacity in admission order: the bots holding it
(from DEPLOYING to CALL_ENDED), the room left and the limit, as the daemon
counts them; the bar is full only when no room is left. Then, on stderr,
the Coolify pool's slots per meeting platform, the queue and today's bots
(since 00:00 UTC). Piped: platform, used, free, limit.`,
		Example: `  $ meeboter pool status
  $ meeboter pool status --json | jq '.platforms[] | select(.free == 0) | .name'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, poolStatusRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func poolStatusRun(opts *poolStatusOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	st, err := c.Pool(opts.Ctx)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, st)
	}
	p := opts.printer()
	header := []string{"PLATFORM", "USED", "FREE", "LIMIT"}
	if p.pretty {
		header = append(header, "")
	}
	t := p.table(header...)
	for _, pc := range st.Platforms {
		row := []string{pc.Name, strconv.Itoa(pc.Used), strconv.Itoa(pc.Free), strconv.Itoa(pc.Limit)}
		if p.pretty {
			row = append(row, capacityBar(p, pc))
		}
		t.row(row...)
	}
	if err := t.render(); err != nil {
		return err
	}
	if len(st.Slots) > 0 {
		opts.hint("%s", slotCountsLine(st.Slots))
	}
	opts.hint("queued: %d%s; today (UTC): %d started (%d done, %d failed), %d ended without starting", st.Queued, oldest(p, st), st.Today.Started, st.Today.Done, st.Today.Failed, st.Today.NotStarted)
	return nil
}

func oldest(p *printer, st *api.PoolStatus) string {
	if st.OldestQueued == nil {
		return ""
	}
	return fmt.Sprintf(" (oldest %s)", relativeTime(*st.OldestQueued, p.now))
}

// capacityBar draws used/limit in ten cells, red when full. It is the
// dashboard's bar, rounded the same way: full only when no room is left.
func capacityBar(p *printer, pc api.PlatformCapacity) string {
	const cells = 10
	if pc.Limit <= 0 {
		return ""
	}
	n := bar.Filled(pc.Used, pc.Limit, cells)
	if !p.color {
		return strings.Repeat("█", n) + strings.Repeat("░", cells-n)
	}
	style := styleLive
	if pc.Free == 0 {
		style = styleFatal
	}
	return paint(style, strings.Repeat("█", n)) + paint(styleFaint, strings.Repeat("░", cells-n))
}

// paint styles s, leaving empty strings free of escape codes.
func paint(style lipgloss.Style, s string) string {
	if s == "" {
		return ""
	}
	return style.Render(s)
}
