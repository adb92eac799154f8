package cli

import (
	"context"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type webhookDeliveriesOptions struct {
	deps
	ID   int64
	Page pageFlags
}

func newCmdWebhookDeliveries(f *Factory, runF func(*webhookDeliveriesOptions) error) *cobra.Command {
	opts := &webhookDeliveriesOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "deliveries ID",
		Short: "List an endpoint's deliveries, newest first",
		Long: `List what was sent to an endpoint and how its last attempt went: failed
deliveries are retried with backoff for about three days, then given up
(meeboter webhook resend sends one again).
Piped: delivery id, time, event, bot, state, attempts, status code,
latency in ms, error, the start of the receiver's answer.`,
		Example: `  $ meeboter webhook deliveries 3
  $ meeboter webhook deliveries 3 | awk -F'\t' '$5 == "failed" {print $1}'`,
		Args: exactArgs(1, "an endpoint ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "endpoint")
			if err != nil {
				return err
			}
			opts.ID = id
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, webhookDeliveriesRun, opts)
		},
	}
	opts.Page.register(cmd, "deliveries")
	opts.Output.register(cmd)
	return cmd
}

func webhookDeliveriesRun(opts *webhookDeliveriesOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.WebhookDelivery], error) {
		return c.Webhooks().Deliveries(ctx, opts.ID, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("ID", "TIME", "EVENT", "BOT", "STATE", "ATTEMPTS", "STATUS", "MS", "ERROR", "RESPONSE")
	for _, d := range list.Items {
		bot, status := p.none(), p.none()
		if d.BotID != 0 {
			bot = strconv.FormatInt(d.BotID, 10)
		}
		if d.StatusCode != 0 {
			status = strconv.Itoa(d.StatusCode)
		}
		t.row(strconv.FormatInt(d.ID, 10), p.time(d.CreatedAt), d.EventType, bot, d.State, strconv.Itoa(d.Attempts), status,
			strconv.FormatInt(d.LatencyMS, 10), p.orNone(oneLine(d.Error)), p.orNone(oneLine(d.Response)))
	}
	if err := t.render(); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}

type webhookResendOptions struct {
	deps
	ID int64
}

func newCmdWebhookResend(f *Factory, runF func(*webhookResendOptions) error) *cobra.Command {
	opts := &webhookResendOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "resend DELIVERY_ID",
		Short: "Send a delivery again",
		Long: `Send a delivery again, now, as the same message: it keeps its webhook-id, so
a receiver that processed it before can tell. The new delivery's id is
printed on stdout.`,
		Example: `  $ meeboter webhook resend 120`,
		Args:    exactArgs(1, "a delivery ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "delivery")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, webhookResendRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func webhookResendRun(opts *webhookResendOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	d, err := c.Webhooks().Resend(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, d)
	}
	fprintfLine(opts.IO.Out, "%d", d.ID)
	opts.hint("resending delivery %d as delivery %d (%s)", opts.ID, d.ID, d.MessageID)
	return nil
}
