package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdChatTemplate groups the template commands: named sets of
// messages, of which each bot posts one at random.
func newCmdChatTemplate(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "template <command>",
		Aliases: []string{"templates"},
		Short:   "Manage chat templates (sets of messages bots pick from)",
		Example: `  $ meeboter bot chat template create --name greet -m "Hi all" -m "Hello everyone"
  $ meeboter bot chat template send 7 --bot 42 --bot 43`,
	})
	cmd.AddCommand(
		newCmdTemplateWrite(f, false, nil), newCmdTemplateList(f, nil), newCmdTemplateGet(f, nil),
		newCmdTemplateWrite(f, true, nil), newCmdTemplateDelete(f, nil), newCmdTemplateSend(f, nil),
	)
	return cmd
}

// printTemplates prints templates as a table; messages are joined by " | ".
func printTemplates(p *printer, ts []api.Template) error {
	t := p.table("ID", "NAME", "MESSAGES", "UPDATED")
	for _, tp := range ts {
		t.row(strconv.FormatInt(tp.ID, 10), tp.Name, strings.Join(tp.Messages, " | "), p.time(tp.UpdatedAt))
	}
	return t.render()
}

func printTemplateAs(d *deps, t *api.Template) error {
	if d.Output.isJSON() {
		return writeJSON(d.IO.Out, t)
	}
	return printTemplates(d.printer(), []api.Template{*t})
}

type templateWriteOptions struct {
	deps
	Update   bool
	ID       int64
	Name     string
	Messages []string
}

// newCmdTemplateWrite builds "create" or, with update, "update ID": the
// API replaces the whole template either way.
func newCmdTemplateWrite(f *Factory, update bool, runF func(*templateWriteOptions) error) *cobra.Command {
	opts := &templateWriteOptions{deps: newDeps(f), Update: update}
	cmd := &cobra.Command{
		Use:     "create --name NAME -m TEXT...",
		Short:   "Create a template",
		Example: `  $ meeboter bot chat template create --name greet -m "Hi all" -m "Hello everyone"`,
		Args:    noArgs,
	}
	if update {
		cmd.Use, cmd.Short, cmd.Args = "update ID --name NAME -m TEXT...", "Replace a template's name and messages", exactArgs(1, "a template ID")
		cmd.Example = `  $ meeboter bot chat template update 7 --name greet -m "Good morning"`
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.bind(cmd)
		if update {
			id, err := parseID(args[0], "template")
			if err != nil {
				return err
			}
			opts.ID = id
		}
		if opts.Name == "" || len(opts.Messages) == 0 {
			return flagErrorf("give --name and at least one --message")
		}
		return run(runF, templateWriteRun, opts)
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "template name")
	cmd.Flags().StringArrayVarP(&opts.Messages, "message", "m", nil, "a message (repeatable)")
	opts.Output.register(cmd)
	return cmd
}

func templateWriteRun(opts *templateWriteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	req := api.TemplateRequest{Name: opts.Name, Messages: opts.Messages}
	var t *api.Template
	if opts.Update {
		t, err = c.Chat().UpdateTemplate(opts.Ctx, opts.ID, req)
	} else {
		t, err = c.Chat().CreateTemplate(opts.Ctx, req)
	}
	if err != nil {
		return err
	}
	return printTemplateAs(&opts.deps, t)
}

type templateListOptions struct {
	deps
	Page pageFlags
}

func newCmdTemplateList(f *Factory, runF func(*templateListOptions) error) *cobra.Command {
	opts := &templateListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List templates, newest first",
		Example: `  $ meeboter bot chat template list`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, templateListRun, opts)
		},
	}
	opts.Page.register(cmd, "templates")
	opts.Output.register(cmd)
	return cmd
}

func templateListRun(opts *templateListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.Template], error) {
		return c.Chat().Templates(ctx, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	if err := printTemplates(opts.printer(), list.Items); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}
