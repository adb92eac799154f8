package cli

import (
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdQueue groups the queue commands.
func newCmdQueue(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "queue <command>",
		Short:   "See bots waiting for capacity",
		Example: `  $ meeboter queue list`,
	})
	cmd.AddCommand(newCmdQueueList(f, nil))
	return cmd
}

type queueListOptions struct {
	deps
}

func newCmdQueueList(f *Factory, runF func(*queueListOptions) error) *cobra.Command {
	opts := &queueListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List your queued bots with their place in the global queue",
		Long: `List your bots waiting for capacity, in queue order. POS is the place in the
whole daemon's queue, WAIT the daemon's estimate. Piped: position, bot id,
name, meeting platform, priority, queued at, estimated wait in seconds,
timeout at.`,
		Example: `  $ meeboter queue list
  $ meeboter queue list --json | jq '.items | length'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, queueListRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func queueListRun(opts *queueListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	entries, err := c.Queue(opts.Ctx)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []api.QueueEntry{}
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, api.List[api.QueueEntry]{Items: entries})
	}
	if len(entries) == 0 && opts.IO.IsStdoutTTY() {
		opts.hint("no bots are queued")
		return nil
	}
	p := opts.printer()
	t := p.table("POS", "BOT", "NAME", "MEETING", "PRIORITY", "QUEUED", "WAIT", "TIMES OUT")
	for _, e := range entries {
		wait := strconv.FormatInt(e.EstimatedWaitSeconds, 10)
		if p.pretty {
			wait = "~" + durationSeconds(e.EstimatedWaitSeconds)
		}
		t.row(strconv.Itoa(e.Position), strconv.FormatInt(e.BotID, 10), p.orNone(e.DisplayName),
			e.MeetingPlatform, strconv.Itoa(e.Priority), p.time(e.QueuedAt), wait, p.time(e.TimeoutAt))
	}
	return t.render()
}
