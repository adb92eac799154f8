package cli

import (
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdWebhook groups the webhook endpoint commands.
func newCmdWebhook(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "webhook <command>",
		Aliases: []string{"webhooks"},
		Short:   "Manage your webhook endpoints and their deliveries",
		Long: `Register URLs that receive your bots' events as Standard Webhooks
(webhook-id, webhook-timestamp and webhook-signature headers). Each endpoint
has its own signing secret, printed once when it is created or rotated;
verify requests with any Standard Webhooks library given that secret.`,
		Example: `  $ meeboter webhook create --url https://example.com/hooks --event bot.ended
  $ meeboter webhook list
  $ meeboter webhook deliveries 3
  $ meeboter webhook resend 120`,
	})
	cmd.AddCommand(newCmdWebhookCreate(f, nil), newCmdWebhookList(f, nil), newCmdWebhookDelete(f, nil),
		newCmdWebhookRotate(f, nil), newCmdWebhookDeliveries(f, nil), newCmdWebhookResend(f, nil))
	return cmd
}

type webhookCreateOptions struct {
	deps
	Request api.CreateWebhookRequest
}

func newCmdWebhookCreate(f *Factory, runF func(*webhookCreateOptions) error) *cobra.Command {
	opts := &webhookCreateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "create --url URL [--event TYPE]...",
		Short: "Register a webhook endpoint and print its signing secret once",
		Long: `Register an endpoint. It receives every event type of every bot of
yours, or only the types named with --event (repeatable): ` + strings.Join(api.WebhookEventTypes, ", ") + `.
The signing secret is printed on stdout, alone, and never shown again.`,
		Example: `  $ meeboter webhook create --url https://example.com/hooks
  $ meeboter webhook create --url https://example.com/ends --event bot.ended --description billing`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if opts.Request.URL == "" {
				return flagErrorf("--url is required")
			}
			return run(runF, webhookCreateRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Request.URL, "url", "", "where to POST the webhooks (required)")
	cmd.Flags().StringArrayVar(&opts.Request.EventTypes, "event", nil, "an event type to receive (repeatable; default every type)")
	cmd.Flags().StringVar(&opts.Request.Description, "description", "", "what the endpoint is for")
	opts.Output.register(cmd)
	return cmd
}

func webhookCreateRun(opts *webhookCreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	e, err := c.Webhooks().Create(opts.Ctx, opts.Request)
	if err != nil {
		return err
	}
	return printWebhookSecret(&opts.deps, e, "created webhook endpoint %d for %s", e.ID, e.URL)
}

// printWebhookSecret prints an endpoint's new secret (or the endpoint as
// JSON) on stdout, and the warning that it is shown once on stderr.
func printWebhookSecret(d *deps, e *api.CreatedWebhookEndpoint, format string, args ...any) error {
	if d.Output.isJSON() {
		if err := writeJSON(d.IO.Out, e); err != nil {
			return err
		}
	} else if _, err := d.IO.Out.Write([]byte(e.Secret + "\n")); err != nil {
		return err
	}
	d.hint(format, args...)
	d.hint("the signing secret above will not be shown again; store it now")
	return nil
}

type webhookRotateOptions struct {
	deps
	ID int64
}

func newCmdWebhookRotate(f *Factory, runF func(*webhookRotateOptions) error) *cobra.Command {
	opts := &webhookRotateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "rotate ID",
		Short: "Give an endpoint a new signing secret and print it once",
		Long: `Give an endpoint a new signing secret. For 24 hours every webhook carries
two signatures, one with the new secret and one with the old, so the
receiver can switch without dropping a webhook.`,
		Example: `  $ meeboter webhook rotate 3 > new-secret`,
		Args:    exactArgs(1, "an endpoint ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "endpoint")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, webhookRotateRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func webhookRotateRun(opts *webhookRotateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	e, err := c.Webhooks().RotateSecret(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	return printWebhookSecret(&opts.deps, e, "rotated the secret of webhook endpoint %d; the old one signs too until %s",
		e.ID, opts.printer().timePtr(e.PreviousSecretExpiresAt))
}

type webhookDeleteOptions struct {
	deps
	ID int64
}

func newCmdWebhookDelete(f *Factory, runF func(*webhookDeleteOptions) error) *cobra.Command {
	opts := &webhookDeleteOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "delete ID",
		Short:   "Delete a webhook endpoint with its delivery log",
		Example: `  $ meeboter webhook delete 3`,
		Args:    exactArgs(1, "an endpoint ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "endpoint")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, webhookDeleteRun, opts)
		},
	}
	return cmd
}

func webhookDeleteRun(opts *webhookDeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.Webhooks().Delete(opts.Ctx, opts.ID); err != nil {
		return err
	}
	opts.hint("deleted webhook endpoint %d", opts.ID)
	return nil
}
