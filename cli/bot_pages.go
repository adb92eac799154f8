package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

// botPageOptions are the options of a command that lists one bot's records
// (events, chat messages) page by page.
type botPageOptions struct {
	deps
	ID   int64
	Page pageFlags
}

// newBotPageCmd completes cmd (Use, Short, Long, Example set by the caller)
// as a listing of one bot's records called noun: it takes the bot ID and the
// page and output flags, then runs runF, or own when runF is nil.
func newBotPageCmd(f *Factory, cmd *cobra.Command, noun string, runF, own func(*botPageOptions) error) *cobra.Command {
	opts := &botPageOptions{deps: newDeps(f)}
	cmd.Args = exactArgs(1, "a bot ID")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.bind(cmd)
		id, err := parseID(args[0], "bot")
		if err != nil {
			return err
		}
		opts.ID = id
		if err := opts.Page.validate(); err != nil {
			return err
		}
		return run(runF, own, opts)
	}
	opts.Page.register(cmd, noun)
	opts.Output.register(cmd)
	return cmd
}

// pageFetcher reads one page of a bot's records with a client.
type pageFetcher[T any] func(c *api.Client, ctx context.Context, id int64, cursor string, limit int) (*api.List[T], error)

// listBotPages fetches the pages the flags ask for and prints them: the
// wire list as JSON, or a table drawn by print, with a hint when more
// pages remain.
func listBotPages[T any](opts *botPageOptions, fetch pageFetcher[T], print func(*printer, []T) error) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[T], error) {
		return fetch(c, ctx, opts.ID, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	if err := print(opts.printer(), list.Items); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}
