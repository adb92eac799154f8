package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui"
)

// dashboardOptions are the dashboard command's dependencies and flags.
type dashboardOptions struct {
	IO      *IOStreams
	Client  func() (*api.Client, error)
	Ctx     context.Context
	Refresh time.Duration
}

// newCmdDashboard opens the terminal dashboard on the configured daemon.
func newCmdDashboard(f *Factory) *cobra.Command {
	return newCmdDashboardRun(f, dashboardRun)
}

func newCmdDashboardRun(f *Factory, runF func(*dashboardOptions) error) *cobra.Command {
	opts := &dashboardOptions{IO: f.IO, Client: f.dashboardClient, Ctx: context.Background()}
	cmd := &cobra.Command{
		Use:   "dashboard",
		Short: "Open the live dashboard",
		Long: "Show the fleet live in the terminal: capacity, queue, bots, one bot's log,\n" +
			"with leave, cancel, delete and chat actions, on one bot or a selection.\n" +
			"Press ? inside for the keys.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Refresh < time.Second {
				return flagErrorf("--refresh must be at least 1s")
			}
			if ctx := cmd.Context(); ctx != nil {
				opts.Ctx = ctx
			}
			return runF(opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Refresh, "refresh", 30*time.Second,
		"how often pool, slots and queue are re-read in full (bot changes re-read what they touch at once)")
	return cmd
}

func dashboardRun(opts *dashboardOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return tui.Run(opts.Ctx, tui.APIClient{Client: c}, tui.Options{
		RefreshInterval: opts.Refresh,
		NoColor:         !opts.IO.ColorEnabled(),
		Input:           opts.IO.In,
		Output:          opts.IO.Out,
	})
}
