package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/daemon"
)

// newCmdAdmin groups the commands an operator runs on the daemon's host,
// against its database rather than its API.
func newCmdAdmin(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:   "admin <command>",
		Short: "Operate on the daemon's database directly, on its host",
		Example: `  $ DATABASE_URL=postgres://... meeboter admin create-key --name ops
  $ meeboter admin create-key --data-dir /var/lib/meeboter`,
	})
	cmd.AddCommand(newCmdAdminCreateKey(f))
	return cmd
}

type adminCreateKeyOptions struct {
	IO      *IOStreams
	Getenv  func(string) string
	DataDir string
	Name    string
	Days    int
}

func newCmdAdminCreateKey(f *Factory) *cobra.Command {
	opts := &adminCreateKeyOptions{IO: f.IO, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "create-key [--name NAME] [--expires-in-days N]",
		Short: "Issue an admin API key straight from the database and print it once",
		Long: `Issue an API key to the first admin, writing its hash to the database the
daemon uses: PostgreSQL at DATABASE_URL, else the SQLite file in the data
dir (the same settings as meeboter serve, so run it with the daemon's
environment, e.g. EnvironmentFile=/etc/meeboter/env or kubectl exec). An
empty database is migrated and gets its admin first. This is how a server
gets its first key: no daemon on PostgreSQL writes a CLI config.

The secret goes to stdout alone and is kept nowhere; the key expires after
--expires-in-days (default 180, at most 365).`,
		Example: `  $ sudo -u meeboter env $(cat /etc/meeboter/env | xargs) meeboter admin create-key --name ops
  $ kubectl -n meeboter exec deploy/meeboter -- meeboter admin create-key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Days < 1 || opts.Days > 365 {
				return flagErrorf("invalid --expires-in-days %d: want 1 to 365", opts.Days)
			}
			if opts.Name == "" || len(opts.Name) > 255 {
				return flagErrorf("--name must be 1 to 255 characters")
			}
			return adminCreateKeyRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.DataDir, "data-dir", "", "data directory holding the SQLite database (env MEEBOTER_DATA_DIR)")
	cmd.Flags().StringVar(&opts.Name, "name", "admin key", "name to recognise the key by")
	cmd.Flags().IntVar(&opts.Days, "expires-in-days", 180, "days until the key expires (1 to 365)")
	return cmd
}

func adminCreateKeyRun(cmd *cobra.Command, opts *adminCreateKeyOptions) error {
	cfg, err := daemon.ConfigFromEnv(opts.Getenv)
	if err != nil {
		return &FlagError{err}
	}
	cfg.DataDir = orString(opts.DataDir, cfg.DataDir)
	k, err := daemon.CreateAdminKey(cmd.Context(), cfg, opts.Name, opts.Days)
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, k.Secret)
	fmt.Fprintf(opts.IO.ErrOut, "issued admin key %d (%s), expiring %s; it will not be shown again\n",
		k.ID, k.Prefix, k.ExpiresAt.Format("2006-01-02"))
	return nil
}
