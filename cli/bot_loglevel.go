package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

type botLogLevelOptions struct {
	deps
	ID    int64
	Level string
}

// logLevels are the levels a bot understands.
var logLevels = []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}

func newCmdBotLogLevel(f *Factory, runF func(*botLogLevelOptions) error) *cobra.Command {
	opts := &botLogLevelOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "log-level ID LEVEL",
		Short: "Change how much a running bot logs",
		Long: `Change the level a bot logs at (` + strings.Join(logLevels, ", ") + `). The bot
picks it up at its next heartbeat, so debugging a live call needs no restart.`,
		Example: `  $ meeboter bot log-level 42 DEBUG
  $ meeboter bot logs 42 -f`,
		Args: exactArgs(2, "a bot ID and a level"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID, opts.Level = id, strings.ToUpper(args[1])
			if !slices.Contains(logLevels, opts.Level) {
				return flagErrorf("invalid level %q: use one of %s", args[1], strings.Join(logLevels, ", "))
			}
			return run(runF, botLogLevelRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func botLogLevelRun(opts *botLogLevelOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	bot, err := c.Bots().SetLogLevel(opts.Ctx, opts.ID, opts.Level)
	if err != nil {
		return err
	}
	opts.hint("bot %d logs at %s from its next heartbeat", bot.ID, bot.LogLevel)
	return printBotAs(&opts.deps, bot)
}
