package cli

import (
	"fmt"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdRoot builds the whole command tree on f.
func newCmdRoot(f *Factory) *cobra.Command {
	root := newGroup(&cobra.Command{
		Use:   "meeboter <command>",
		Short: "Send bots into Google Meet, Teams and Zoom calls",
		Long: `meeboter runs meeting bots. One binary is both the daemon (meeboter serve)
and the client: every other command talks to a daemon over its HTTP API.

The daemon address and API key come from flags, then MEEBOTER_ADDR and
MEEBOTER_API_KEY, then the config file (see meeboter config view).`,
		Example: `  # start a daemon in one terminal
  $ meeboter serve

  # and send a bot into a call from another, following it to the end
  $ meeboter bot create --meeting-url https://meet.google.com/abc-defg-hij --wait`,
	})
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	addVersionFlag(root, f)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{err} })

	pf := root.PersistentFlags()
	pf.String("addr", api.DefaultAddress, "daemon address (env MEEBOTER_ADDR)")
	pf.String("api-key", "", "API key (env MEEBOTER_API_KEY)")
	f.rootFlags = pf

	root.AddCommand(
		newCmdServe(f), newCmdMigrate(f), newCmdAdmin(f), newCmdSandboxBot(f), newCmdDashboard(f),
		newCmdBot(f), newCmdKey(f), newCmdUser(f), newCmdPlan(f), newCmdUsage(f),
		newCmdQueue(f), newCmdPool(f), newCmdCapacity(f), newCmdStats(f), newCmdWebhook(f), newCmdOpen(f, nil),
		newCmdLogin(f, nil), newCmdConfig(f), newCmdVersion(f, nil), newCmdHealth(f, nil), newCmdBench(f),
	)
	// What the flag parser warns about (a deprecated flag) goes to
	// stderr: cobra would print it with the command's output, which is
	// stdout here, and a warning is not data.
	walk(root, func(cmd *cobra.Command) { cmd.Flags().SetOutput(f.IO.ErrOut) })
	registerCompletions(root, f)
	return root
}

// newGroup makes cmd a command that only holds subcommands: alone it
// prints help, and an unknown subcommand is a usage error (exit 2) rather
// than cobra's silent help.
func newGroup(cmd *cobra.Command) *cobra.Command {
	cmd.Args = cobra.ArbitraryArgs
	cmd.SuggestionsMinimumDistance = 2
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return flagErrorf("%s", msg)
	}
	return cmd
}
