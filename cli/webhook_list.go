package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type webhookListOptions struct {
	deps
	Page pageFlags
}

func newCmdWebhookList(f *Factory, runF func(*webhookListOptions) error) *cobra.Command {
	opts := &webhookListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List your webhook endpoints, newest first",
		Long: `List your webhook endpoints (never their secrets). An endpoint that failed
every delivery for five days, or answered 410 Gone, is disabled: the list
says so and why; turn it back on by fixing the receiver, then PATCH
/v1/webhooks/{id} with enabled=true.
Piped: id, url, events, state, failing since, created, description.`,
		Example: `  $ meeboter webhook list
  $ meeboter webhook list | awk -F'\t' '$4 == "disabled"'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, webhookListRun, opts)
		},
	}
	opts.Page.register(cmd, "endpoints")
	opts.Output.register(cmd)
	return cmd
}

func webhookListRun(opts *webhookListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.WebhookEndpoint], error) {
		return c.Webhooks().List(ctx, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("ID", "URL", "EVENTS", "STATE", "FAILING SINCE", "CREATED", "DESCRIPTION")
	for _, e := range list.Items {
		events := "all"
		if len(e.EventTypes) > 0 {
			events = strings.Join(e.EventTypes, ",")
		}
		t.row(strconv.FormatInt(e.ID, 10), e.URL, events, endpointState(e), p.timePtr(e.FailingSince), p.time(e.CreatedAt), p.orNone(e.Description))
	}
	if err := t.render(); err != nil {
		return err
	}
	for _, e := range list.Items {
		if e.DisabledAt != nil {
			opts.hint("endpoint %d is disabled: %s", e.ID, e.DisabledReason)
		}
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}

// endpointState is active, failing or disabled.
func endpointState(e api.WebhookEndpoint) string {
	switch {
	case e.DisabledAt != nil:
		return "disabled"
	case e.FailingSince != nil:
		return "failing"
	}
	return "active"
}
