package cli

import (
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type poolSlotsOptions struct {
	deps
}

func newCmdPoolSlots(f *Factory, runF func(*poolSlotsOptions) error) *cobra.Command {
	opts := &poolSlotsOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "slots",
		Short: "List the reusable container slots",
		Long: `List the pool's reusable container slots (Coolify) with the bot each one
runs. Piped: id, platform, meeting platform, name, status, bot id, last
used, error.`,
		Example: `  $ meeboter pool slots list
  $ meeboter pool slots create --platform zoom --count 3
  $ meeboter pool slots delete 4 7
  $ meeboter pool slots | awk -F'\t' '$5 == "ERROR"'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, poolSlotsRun, opts)
		},
	}
	opts.Output.register(cmd)
	list := &cobra.Command{
		Use:   "list",
		Short: "List the reusable container slots",
		Long:  cmd.Long,
		Args:  noArgs,
		RunE:  cmd.RunE,
	}
	opts.Output.register(list)
	cmd.AddCommand(list, newCmdPoolSlotsCreate(f, nil), newCmdPoolSlotsDelete(f, nil))
	return cmd
}

func poolSlotsRun(opts *poolSlotsOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	slots, err := c.PoolSlots(opts.Ctx)
	if err != nil {
		return err
	}
	if slots == nil {
		slots = []api.PoolSlot{}
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, api.List[api.PoolSlot]{Items: slots})
	}
	if len(slots) == 0 && opts.IO.IsStdoutTTY() {
		opts.hint("no pool slots")
		return nil
	}
	return printSlots(opts.printer(), slots)
}

// printSlots writes slots as a table (tab-separated when piped).
func printSlots(p *printer, slots []api.PoolSlot) error {
	t := p.table("ID", "PLATFORM", "MEETING", "NAME", "STATUS", "BOT", "LAST USED", "ERROR")
	for _, s := range slots {
		bot := p.none()
		if s.BotID != nil {
			bot = strconv.FormatInt(*s.BotID, 10)
		}
		t.row(strconv.FormatInt(s.ID, 10), s.Platform, s.MeetingPlatform, s.Name, s.Status,
			bot, p.timePtr(s.LastUsedAt), p.orNone(s.Error))
	}
	return t.render()
}
