package cli

import (
	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdKey groups the API key commands.
func newCmdKey(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "key <command>",
		Aliases: []string{"keys"},
		Short:   "Manage your API keys",
		Example: `  $ meeboter key create --name ci --expires-in-days 30
  $ meeboter key list
  $ meeboter key revoke 3`,
	})
	cmd.AddCommand(newCmdKeyCreate(f, nil), newCmdKeyList(f, nil), newCmdKeyRevoke(f, nil), newCmdKeyLogs(f, nil))
	return cmd
}

type keyCreateOptions struct {
	deps
	Name          string
	ExpiresInDays int
}

func newCmdKeyCreate(f *Factory, runF func(*keyCreateOptions) error) *cobra.Command {
	opts := &keyCreateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create an API key and print its secret once",
		Long: `Create an API key for yourself. The secret is printed on stdout, alone, and
is never shown again: store it now. Keys expire after 180 days unless
--expires-in-days says otherwise (at most 365).`,
		Example: `  # hand a key to CI without it touching the terminal
  $ meeboter key create --name ci --expires-in-days 30 | gh secret set MEEBOTER_API_KEY`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if opts.Name == "" {
				return flagErrorf("--name is required")
			}
			if opts.ExpiresInDays < 0 || opts.ExpiresInDays > 365 {
				return flagErrorf("--expires-in-days must be between 1 and 365")
			}
			return run(runF, keyCreateRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "what the key is for (required)")
	cmd.Flags().IntVar(&opts.ExpiresInDays, "expires-in-days", 0, "days until the key expires (default 180, at most 365)")
	opts.Output.register(cmd)
	return cmd
}

func keyCreateRun(opts *keyCreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	k, err := c.Keys().Create(opts.Ctx, api.CreateKeyRequest{Name: opts.Name, ExpiresInDays: opts.ExpiresInDays})
	if err != nil {
		return err
	}
	return printSecret(&opts.deps, k, k, "created key %d %q", k.ID, k.Name)
}

// printSecret prints a new key's secret (or v as JSON) on stdout and
// the warning that it will not be shown again on stderr.
func printSecret(d *deps, v any, k *api.CreatedKey, format string, args ...any) error {
	if d.Output.isJSON() {
		if err := writeJSON(d.IO.Out, v); err != nil {
			return err
		}
	} else if _, err := d.IO.Out.Write([]byte(k.Secret + "\n")); err != nil {
		return err
	}
	d.hint(format, args...)
	d.hint("the secret above will not be shown again; store it now")
	return nil
}

type keyRevokeOptions struct {
	deps
	ID int64
}

func newCmdKeyRevoke(f *Factory, runF func(*keyRevokeOptions) error) *cobra.Command {
	opts := &keyRevokeOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API key for good",
		Example: `  $ meeboter key list
  $ meeboter key revoke 3`,
		Args: exactArgs(1, "a key ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "key")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, keyRevokeRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func keyRevokeRun(opts *keyRevokeOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	k, err := c.Keys().Revoke(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, k)
	}
	opts.hint("revoked key %d %q", k.ID, k.Name)
	return nil
}
