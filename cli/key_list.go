package cli

import (
	"context"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type keyListOptions struct {
	deps
	Page pageFlags
}

func newCmdKeyList(f *Factory, runF func(*keyListOptions) error) *cobra.Command {
	opts := &keyListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List your API keys, newest first",
		Long: `List your API keys. Secrets are never shown; the prefix is enough to tell
which key a config or CI secret holds (meeboter config view shows it too).
Piped: id, name, prefix, state, created, expires, last used.`,
		Example: `  $ meeboter key list
  $ meeboter key list | awk -F'\t' '$4 == "expired" {print $1}'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, keyListRun, opts)
		},
	}
	opts.Page.register(cmd, "keys")
	opts.Output.register(cmd)
	return cmd
}

func keyListRun(opts *keyListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.APIKey], error) {
		return c.Keys().List(ctx, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("ID", "NAME", "PREFIX", "STATE", "CREATED", "EXPIRES", "LAST USED")
	for _, k := range list.Items {
		t.row(strconv.FormatInt(k.ID, 10), k.Name, k.Prefix, keyState(k, p.now),
			p.time(k.CreatedAt), p.timePtr(k.ExpiresAt), p.timePtr(k.LastUsedAt))
	}
	if err := t.render(); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}

// keyState is active, expired or revoked.
func keyState(k api.APIKey, now time.Time) string {
	switch {
	case k.RevokedAt != nil:
		return "revoked"
	case k.ExpiresAt != nil && !k.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}

type keyLogsOptions struct {
	deps
	KeyID int64
	Page  pageFlags
}

func newCmdKeyLogs(f *Factory, runF func(*keyLogsOptions) error) *cobra.Command {
	opts := &keyLogsOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "logs [ID]",
		Short: "List requests made with your keys, newest first",
		Long: `List authenticated requests, newest first: all your keys, or one key.
Piped: time, key id, method, path, status, duration in ms, error.`,
		Example: `  $ meeboter key logs
  $ meeboter key logs 3 --limit 20`,
		Args: maxArgs(1, "one key ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if len(args) == 1 {
				id, err := parseID(args[0], "key")
				if err != nil {
					return err
				}
				opts.KeyID = id
			}
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, keyLogsRun, opts)
		},
	}
	opts.Page.register(cmd, "requests")
	opts.Output.register(cmd)
	return cmd
}

func keyLogsRun(opts *keyLogsOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.RequestLog], error) {
		return c.Keys().Logs(ctx, opts.KeyID, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("TIME", "KEY", "METHOD", "PATH", "STATUS", "MS", "ERROR")
	for _, r := range list.Items {
		t.row(p.time(r.CreatedAt), strconv.FormatInt(r.KeyID, 10), r.Method, r.Path,
			strconv.Itoa(r.Status), strconv.FormatInt(r.DurationMS, 10), p.orNone(r.Error))
	}
	if err := t.render(); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}
