package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// The Coolify pool's management commands: admins only, since the pool is
// shared by every user.

type poolSlotsCreateOptions struct {
	deps
	Platform string
	Count    int
}

func newCmdPoolSlotsCreate(f *Factory, runF func(*poolSlotsCreateOptions) error) *cobra.Command {
	opts := &poolSlotsCreateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "create --platform MEETING_PLATFORM [--count N]",
		Short: "Add idle Coolify slots for a meeting platform",
		Long: `Add idle slots to the Coolify pool for one meeting platform (google-meet,
microsoft-teams or zoom), as many as COOLIFY_POOL_MAX leaves room for. The
daemon makes their applications and pulls their image in the background,
so the next bots of that platform start without a pull. Admins only.
Piped: the slots made, as in "pool slots list".`,
		Example: `  $ meeboter pool slots create --platform zoom --count 3`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if !slices.Contains([]string{api.MeetingGoogleMeet, api.MeetingMicrosoftTeams, api.MeetingZoom}, opts.Platform) {
				return flagErrorf("invalid --platform %q: use google-meet, microsoft-teams or zoom", opts.Platform)
			}
			if opts.Count < 1 {
				return flagErrorf("--count must be at least 1")
			}
			return run(runF, poolSlotsCreateRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Platform, "platform", "", "the meeting platform the slots serve")
	cmd.Flags().IntVar(&opts.Count, "count", 1, "how many slots to add")
	opts.Output.register(cmd)
	return cmd
}

func poolSlotsCreateRun(opts *poolSlotsCreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	slots, err := c.CreatePoolSlots(opts.Ctx, api.CreateSlotsRequest{MeetingPlatform: opts.Platform, Count: opts.Count})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, api.List[api.PoolSlot]{Items: slots})
	}
	if err := printSlots(opts.printer(), slots); err != nil {
		return err
	}
	if len(slots) < opts.Count {
		opts.hint("added %d of %d slot(s): the pool is at COOLIFY_POOL_MAX", len(slots), opts.Count)
	} else {
		opts.hint("added %d slot(s); their applications are being made", len(slots))
	}
	return nil
}

type poolSlotsDeleteOptions struct {
	deps
	IDs []int64
}

func newCmdPoolSlotsDelete(f *Factory, runF func(*poolSlotsDeleteOptions) error) *cobra.Command {
	opts := &poolSlotsDeleteOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete slots and their Coolify applications",
		Long: `Delete pool slots: the bot a slot runs ends FATAL, and the slot's
Coolify application is deleted, which stops its container. Admins only.`,
		Example: `  $ meeboter pool slots delete 4 7`,
		Args:    minArgs(1, "a slot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			for _, a := range args {
				id, err := parseID(a, "slot")
				if err != nil {
					return err
				}
				opts.IDs = append(opts.IDs, id)
			}
			return run(runF, poolSlotsDeleteRun, opts)
		},
	}
	return cmd
}

func poolSlotsDeleteRun(opts *poolSlotsDeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range opts.IDs {
		if err := c.DeletePoolSlot(opts.Ctx, id); err != nil {
			errs = append(errs, fmt.Errorf("slot %d: %w", id, err))
			continue
		}
		opts.hint("deleted slot %d", id)
	}
	return errors.Join(errs...)
}

type poolSyncOptions struct {
	deps
}

func newCmdPoolSync(f *Factory, runF func(*poolSyncOptions) error) *cobra.Command {
	opts := &poolSyncOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Reconcile the Coolify pool with Coolify's applications now",
		Long: `Reconcile the pool with Coolify now, as the leader does every minute:
pool-* applications no slot names (and older than a few minutes) are
deleted, and idle slots whose application vanished make a new one on
their next deploy, or are removed beyond the warm minimum. If Coolify's
listing fails nothing changes. Admins only. Piped: apps, slots, then one
line per change (deleted, forgotten or removed, and the name).`,
		Example: `  $ meeboter pool sync`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, poolSyncRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func poolSyncRun(opts *poolSyncOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	rep, err := c.SyncPool(opts.Ctx)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, rep)
	}
	t := opts.printer().table("CHANGE", "NAME")
	for _, ch := range []struct {
		what  string
		names []string
	}{{"deleted", rep.Deleted}, {"forgotten", rep.Forgotten}, {"removed", rep.Removed}} {
		for _, n := range ch.names {
			t.row(ch.what, n)
		}
	}
	if err := t.render(); err != nil {
		return err
	}
	opts.hint("Coolify lists %d pool application(s) for %d slot(s)", rep.Apps, rep.Slots)
	return nil
}

// slotCountsLine says the pool's slots per meeting platform, for pool status.
func slotCountsLine(counts []api.SlotCounts) string {
	parts := make([]string, 0, len(counts))
	for _, c := range counts {
		parts = append(parts, fmt.Sprintf("%s %d (%d idle, %d busy, %d releasing, %d error; min idle %d)",
			c.MeetingPlatform, c.Total, c.Idle, c.Busy, c.Releasing, c.Error, c.MinIdle))
	}
	return "slots: " + strings.Join(parts, "; ")
}

// listSlots offers pool slots: "4\tpool-zoom-001 (IDLE)".
func listSlots(ctx context.Context, c *api.Client) ([]string, error) {
	slots, err := c.PoolSlots(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = strconv.FormatInt(s.ID, 10) + "\t" + s.Name + " (" + s.Status + ")"
	}
	return out, nil
}
