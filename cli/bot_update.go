package cli

import (
	"slices"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type botUpdateOptions struct {
	deps
	ID          int64
	Name        string
	ImageURL    string
	JoinAt      string
	JoinNow     bool
	MaxDuration time.Duration
	CallbackURL string
	Metadata    []string

	// Request holds only the flags that were given.
	Request api.UpdateBotRequest
}

func newCmdBotUpdate(f *Factory, runF func(*botUpdateOptions) error) *cobra.Command {
	opts := &botUpdateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "update ID [flags]",
		Short: "Change a bot that has not been deployed yet",
		Long: `Change a scheduled or queued bot. Only the flags you give change; once the
bot is deploying, the daemon refuses (exit 1, invalid_transition).`,
		Example: `  # move a scheduled bot to 15:00 UTC
  $ meeboter bot update 42 --join-at 2026-05-01T15:00:00Z

  # let it join right away instead
  $ meeboter bot update 42 --join-now`,
		Args: exactArgs(1, "a bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID = id
			if err := opts.buildRequest(cmd); err != nil {
				return err
			}
			return run(runF, botUpdateRun, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Name, "name", "", "name the bot shows in the call")
	fl.StringVar(&opts.ImageURL, "image-url", "", "avatar image of the bot")
	fl.StringVar(&opts.JoinAt, "join-at", "", "when to join: RFC 3339 time or +duration (+10m)")
	fl.BoolVar(&opts.JoinNow, "join-now", false, "join as soon as there is capacity")
	fl.DurationVar(&opts.MaxDuration, "max-duration", 0, "leave the call after this long")
	fl.StringVar(&opts.CallbackURL, "callback-url", "", "URL the daemon notifies on status changes")
	fl.StringArrayVar(&opts.Metadata, "metadata", nil, "key=value to set (repeatable)")
	opts.Output.register(cmd)
	return cmd
}

// botUpdateFlags are the flags that change something.
var botUpdateFlags = []string{"name", "image-url", "join-at", "join-now", "max-duration", "callback-url", "metadata"}

// buildRequest sets a field for each flag given, and only those.
func (o *botUpdateOptions) buildRequest(cmd *cobra.Command) error {
	fl := cmd.Flags()
	if !slices.ContainsFunc(botUpdateFlags, fl.Changed) {
		return flagErrorf("nothing to update: give at least one of --%s", strings.Join(botUpdateFlags, ", --"))
	}
	if fl.Changed("join-at") && o.JoinNow {
		return flagErrorf("--join-at and --join-now cannot be used together")
	}
	r := &o.Request
	if fl.Changed("name") {
		r.DisplayName = &o.Name
	}
	if fl.Changed("image-url") {
		r.ImageURL = &o.ImageURL
	}
	if fl.Changed("callback-url") {
		r.CallbackURL = &o.CallbackURL
	}
	if fl.Changed("max-duration") {
		secs := int64(o.MaxDuration / time.Second)
		r.MaxDurationSeconds = &secs
	}
	r.JoinNow = o.JoinNow
	if fl.Changed("join-at") {
		t, err := parseJoinAt(o.JoinAt, o.Now())
		if err != nil {
			return err
		}
		r.JoinAt = &t
	}
	md, err := parseMetadata(o.Metadata)
	r.Metadata = md
	return err
}

func botUpdateRun(opts *botUpdateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	bot, err := c.Bots().Update(opts.Ctx, opts.ID, opts.Request)
	if err != nil {
		return err
	}
	return printBotAs(&opts.deps, bot)
}
