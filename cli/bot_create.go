package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type botCreateOptions struct {
	deps
	MeetingURL     string
	Name           string
	JoinAt         string
	Metadata       []string
	IdempotencyKey string
	Platform       string
	MaxDuration    time.Duration
	Recording      bool
	CallbackURL    string
	QueueTimeout   time.Duration
	Priority       int
	Wait           bool
	BestEffort     bool
	LobbyNudge     time.Duration
	DedupKey       string
	AllowDuplicate bool
	QueueAtLimit   bool

	// Request is built from the flags by newCmdBotCreate.
	Request api.CreateBotRequest
}

func newCmdBotCreate(f *Factory, runF func(*botCreateOptions) error) *cobra.Command {
	opts := &botCreateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "create --meeting-url URL",
		Short: "Send a bot into a call",
		Long: `Create a bot that joins a meeting now, or at --join-at.

The daemon admits it when a platform has room; until then it is QUEUED.
With --wait the command follows the bot and prints each status change on
stderr until it ends: exit 0 on DONE, exit 6 on FATAL. Ctrl-C stops waiting
but leaves the bot running (cancel it with meeboter bot cancel).

Every create carries an Idempotency-Key (random unless you pass one), so the
CLI's own retries after a dropped connection never make two bots. Pass your
own key to make re-running a whole script safe too.`,
		Example: `  # join now and follow the bot to the end of the call
  $ meeboter bot create --meeting-url https://meet.google.com/abc-defg-hij --wait

  # join in ten minutes as "Notes", tagged for later filtering
  $ meeboter bot create --meeting-url https://us02web.zoom.us/j/81234567890 --name Notes \
      --join-at +10m --metadata team=sales --metadata deal=42

  # ahead of the queue's priority-5 bots
  $ meeboter bot create --meeting-url "$URL" --priority 2

  # in CI: only the bot's id
  $ meeboter bot create --meeting-url "$URL" --json | jq .id`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.buildRequest(cmd); err != nil {
				return err
			}
			return run(runF, botCreateRun, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.MeetingURL, "meeting-url", "", "link of the meeting to join (required)")
	fl.StringVar(&opts.Name, "name", "", "name the bot shows in the call")
	fl.StringVar(&opts.JoinAt, "join-at", "", "when to join: RFC 3339 time or +duration (+10m)")
	fl.StringArrayVar(&opts.Metadata, "metadata", nil, "key=value to attach (repeatable)")
	fl.StringVar(&opts.IdempotencyKey, "idempotency-key", "", "key that makes retries of this create return the same bot")
	fl.StringVar(&opts.Platform, "meeting-platform", "", "meeting platform: google-meet, microsoft-teams or zoom (default: from the URL)")
	// --platform read as the platform the bot runs on; it only ever meant
	// the meeting's.
	fl.StringVar(&opts.Platform, "platform", "", "meeting platform (deprecated: use --meeting-platform)")
	_ = fl.MarkDeprecated("platform", "use --meeting-platform")
	fl.DurationVar(&opts.MaxDuration, "max-duration", 0, "leave the call after this long (e.g. 1h)")
	fl.BoolVar(&opts.Recording, "recording", false, "record the call")
	fl.StringVar(&opts.CallbackURL, "callback-url", "", "URL the daemon notifies of every status change and the end")
	fl.DurationVar(&opts.QueueTimeout, "queue-timeout", 0, "give up if no capacity within this long (default 10m)")
	fl.IntVar(&opts.Priority, "priority", 0, "place in the queue: 0 (first, the default) to 9; FIFO within a priority")
	fl.BoolVar(&opts.Wait, "wait", false, "follow the bot until it ends; exit 6 if it ends FATAL")
	fl.BoolVar(&opts.BestEffort, "best-effort", false, "with --join-at: accept the bot even when its window is booked out (it is queued at its time)")
	fl.DurationVar(&opts.LobbyNudge, "lobby-nudge-after", 0, "send bot.waiting_room after this long in a waiting room (default 1m)")
	fl.StringVar(&opts.DedupKey, "dedup-key", "", "name the meeting for duplicate refusal instead of its URL")
	fl.BoolVar(&opts.AllowDuplicate, "allow-duplicate", false, "create even while a bot of yours is live for this meeting")
	fl.BoolVar(&opts.QueueAtLimit, "queue-at-limit", false, "wait in the queue instead of failing when at your concurrency cap")
	opts.Output.register(cmd)
	return cmd
}

// buildRequest checks the flags and turns them into the request body.
func (o *botCreateOptions) buildRequest(cmd *cobra.Command) error {
	if o.MeetingURL == "" {
		return flagErrorf("--meeting-url is required")
	}
	switch o.Platform {
	case "", api.MeetingGoogleMeet, api.MeetingMicrosoftTeams, api.MeetingZoom:
	default:
		return flagErrorf("invalid --meeting-platform %q: use google-meet, microsoft-teams or zoom", o.Platform)
	}
	if o.MaxDuration < 0 || o.QueueTimeout < 0 || o.LobbyNudge < 0 {
		return flagErrorf("durations must be positive")
	}
	if o.Priority < 0 || o.Priority > 9 {
		return flagErrorf("invalid --priority %d: want 0 (first) to 9", o.Priority)
	}
	md, err := parseMetadata(o.Metadata)
	if err != nil {
		return err
	}
	o.Request = api.CreateBotRequest{
		Meeting:                 api.Meeting{MeetingURL: o.MeetingURL, Platform: o.Platform},
		DisplayName:             o.Name,
		MaxDurationSeconds:      int64(o.MaxDuration / time.Second),
		RecordingEnabled:        o.Recording,
		CallbackURL:             o.CallbackURL,
		Metadata:                md,
		QueueTimeoutSeconds:     int64(o.QueueTimeout / time.Second),
		Priority:                o.Priority,
		BestEffort:              o.BestEffort,
		LobbyNudgeAfterSeconds:  int64(o.LobbyNudge / time.Second),
		DeduplicationKey:        o.DedupKey,
		AllowDuplicate:          o.AllowDuplicate,
		QueueAtConcurrencyLimit: o.QueueAtLimit,
	}
	if cmd.Flags().Changed("join-at") {
		t, err := parseJoinAt(o.JoinAt, o.Now())
		if err != nil {
			return err
		}
		o.Request.JoinAt = &t
	}
	if o.IdempotencyKey == "" {
		o.IdempotencyKey = rand.Text()
	}
	return nil
}

func botCreateRun(opts *botCreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	bot, err := c.Bots().Create(opts.Ctx, opts.Request, api.WithIdempotencyKey(opts.IdempotencyKey))
	if err != nil {
		return err
	}
	if !opts.Wait {
		return printBotAs(&opts.deps, bot)
	}
	opts.hint("created bot %d; following it (Ctrl-C stops waiting, the bot keeps going)", bot.ID)
	final, err := newFollower(&opts.deps, c, bot.ID).run(opts.Ctx)
	if errors.Is(err, context.Canceled) {
		if final == nil {
			final = bot
		}
		opts.hint("stopped waiting; bot %d is still %s (%s)", bot.ID, final.Status, stopHint(final))
		return err
	}
	if err != nil {
		return err
	}
	if err := printBotAs(&opts.deps, final); err != nil {
		return err
	}
	return endError(final)
}

// stopHint names the command that ends a bot in its current status.
func stopHint(b *api.Bot) string {
	if b.Status.Live() {
		return fmt.Sprintf("make it leave with: meeboter bot leave %d", b.ID)
	}
	return fmt.Sprintf("cancel it with: meeboter bot cancel %d", b.ID)
}

// printBotAs prints one bot in the chosen output mode.
func printBotAs(d *deps, b *api.Bot) error {
	if d.Output.isJSON() {
		return writeJSON(d.IO.Out, b)
	}
	return printBot(d.printer(), b)
}

// endError is the error for a bot that ended: nil for DONE, a
// BotFatalError for FATAL.
func endError(b *api.Bot) error {
	if b.Status != api.StatusFatal {
		return nil
	}
	return &BotFatalError{BotID: b.ID, Reason: b.EndReason, Detail: b.EndDetail}
}
