package cli

import (
	"github.com/spf13/cobra"
)

type templateIDOptions struct {
	deps
	ID      int64
	BotArgs []string
	BotIDs  []int64
}

// newTemplateIDCmd builds a command that takes one template ID.
func newTemplateIDCmd(f *Factory, cmd *cobra.Command, own, runF func(*templateIDOptions) error) (*cobra.Command, *templateIDOptions) {
	opts := &templateIDOptions{deps: newDeps(f)}
	cmd.Args = exactArgs(1, "a template ID")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.bind(cmd)
		id, err := parseID(args[0], "template")
		if err != nil {
			return err
		}
		opts.ID = id
		if cmd.Flags().Lookup("bot") != nil {
			if opts.BotIDs, err = botFlagIDs(opts.BotArgs); err != nil {
				return err
			}
		}
		return run(runF, own, opts)
	}
	opts.Output.register(cmd)
	return cmd, opts
}

func newCmdTemplateGet(f *Factory, runF func(*templateIDOptions) error) *cobra.Command {
	cmd, _ := newTemplateIDCmd(f, &cobra.Command{
		Use:     "get ID",
		Short:   "Show a template",
		Example: `  $ meeboter bot chat template get 7 --json`,
	}, templateGetRun, runF)
	return cmd
}

func templateGetRun(opts *templateIDOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	t, err := c.Chat().Template(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	return printTemplateAs(&opts.deps, t)
}

func newCmdTemplateDelete(f *Factory, runF func(*templateIDOptions) error) *cobra.Command {
	cmd, _ := newTemplateIDCmd(f, &cobra.Command{
		Use:     "delete ID",
		Short:   "Delete a template",
		Example: `  $ meeboter bot chat template delete 7`,
	}, templateDeleteRun, runF)
	return cmd
}

func templateDeleteRun(opts *templateIDOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.Chat().DeleteTemplate(opts.Ctx, opts.ID); err != nil {
		return err
	}
	opts.hint("deleted template %d", opts.ID)
	return nil
}

func newCmdTemplateSend(f *Factory, runF func(*templateIDOptions) error) *cobra.Command {
	cmd, opts := newTemplateIDCmd(f, &cobra.Command{
		Use:   "send ID --bot ID...",
		Short: "Have each bot post one of the template's messages, at random",
		Long: `Queue one of the template's messages, picked at random per bot, so a room
of bots does not all say the same thing. Refused bots are listed on stderr
(exit 1).`,
		Example: `  $ meeboter bot chat template send 7 --bot 42 --bot 43`,
	}, templateSendRun, runF)
	cmd.Flags().StringSliceVarP(&opts.BotArgs, "bot", "b", nil, "bot to post through (repeatable, or comma-separated)")
	return cmd
}

func templateSendRun(opts *templateIDOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	res, err := c.Chat().SendTemplate(opts.Ctx, opts.ID, opts.BotIDs)
	if err != nil {
		return err
	}
	return printBulk(&opts.deps, res, "queued a message for")
}
