package cli

import (
	"github.com/spf13/cobra"
)

// newCmdBench groups the load tools.
func newCmdBench(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:   "bench <command>",
		Short: "Measure a daemon under load",
		Example: `  $ PLATFORM_PRIORITY=null MEEBOTER_RATE_LIMIT=100000 meeboter serve &
  $ meeboter bench heartbeat --bots 2000 --duration 20s`,
	})
	cmd.AddCommand(newCmdBenchHeartbeat(f, nil))
	return cmd
}
