package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/sandbox"
)

// newCmdSandboxBot runs one sandbox bot. The local platform starts it as
// `meeboter sandbox-bot` with BOT_ID, MILO_URL and MILO_AUTH_TOKEN set; the
// flags are for running a bot by hand and win over the bot's metadata.
func newCmdSandboxBot(f *Factory) *cobra.Command {
	var cfg sandbox.Config
	var verbose bool
	cmd := &cobra.Command{
		Use:   "sandbox-bot",
		Short: "Run the built-in sandbox bot (what the local platform starts)",
		Long: `Run the built-in sandbox bot: a client of the daemon's agent API that walks a
bot's whole life (JOINING_CALL, IN_WAITING_ROOM, IN_CALL, CALL_ENDED, DONE)
without joining any meeting. It reads BOT_ID, MILO_URL and MILO_AUTH_TOKEN.

Scenarios (--scenario, or metadata sandbox.scenario): normal,
call-ends-after=<duration>, never-admitted, crash-in-call,
stops-heartbeating, fatal:<SUB_CODE>.`,
		Example: `  # make a bot of the local platform crash in the call
  $ meeboter bot create --meeting-url https://meet.google.com/abc-defg-hij \
      --metadata sandbox.scenario=crash-in-call`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if p := cfg.Protocol; p != sandbox.ProtocolNative && p != sandbox.ProtocolTRPC {
				return flagErrorf("--protocol must be native or trpc, not %q", p)
			}
			env := sandbox.ConfigFromEnv(f.Getenv)
			cfg.BotID, cfg.BaseURL, cfg.Token, cfg.S3 = env.BotID, env.BaseURL, env.Token, env.S3
			// The bot ships its log through the API; printing the same
			// lines where the local platform captures them would store
			// each twice, so they are printed only to a person.
			cfg.Stdout = io.Discard
			if f.IO.IsStdoutTTY() || verbose {
				cfg.Stdout = f.IO.Out
			}
			// Main cancels the context on SIGTERM: the bot then stops
			// without reporting anything more and exits 0.
			return sandbox.Run(cmd.Context(), cfg)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&verbose, "verbose", "v", false, "print the bot's log lines on stdout even when it is not a terminal")
	fl.StringVar(&cfg.Protocol, "protocol", sandbox.ProtocolNative, "bot protocol: native or trpc")
	fl.StringVar(&cfg.Scenario, "scenario", "", "scenario, overriding metadata sandbox.scenario")
	fl.DurationVar(&cfg.CallEndsAfter, "call-ends-after", 0, "time in the call before it ends (default 5s)")
	fl.DurationVar(&cfg.StepDelay, "step-delay", 0, "delay between statuses while joining (default 1s)")
	fl.DurationVar(&cfg.HeartbeatInterval, "heartbeat-interval", 0, "time between heartbeats (default 2s)")
	fl.DurationVar(&cfg.ChatInterval, "chat-interval", 0, "time between chat polls (default 2s)")
	fl.DurationVar(&cfg.WaitingRoomTimeout, "waiting-room-timeout", 0, "how long never-admitted waits (default: the bot's automaticLeave)")
	return cmd
}
