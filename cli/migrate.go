package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/daemon"
)

type migrateOptions struct {
	IO      *IOStreams
	Getenv  func(string) string
	DataDir string
	DryRun  bool
}

func newCmdMigrate(f *Factory) *cobra.Command {
	opts := &migrateOptions{IO: f.IO, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations (the daemon also applies them when it starts)",
		Long: `Bring the database schema up to date: PostgreSQL when DATABASE_URL is
set, else the SQLite file in the data dir. A binary refuses a database
migrated by a newer version.`,
		Example: `  # what would run
  $ DATABASE_URL=postgres://... meeboter migrate --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("data-dir") {
				opts.DataDir = ""
			}
			return migrateRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.DataDir, "data-dir", "", "data directory holding the SQLite database (env MEEBOTER_DATA_DIR)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "list the migrations that would run, and change nothing")
	return cmd
}

func migrateRun(cmd *cobra.Command, opts *migrateOptions) error {
	cfg, err := daemon.ConfigFromEnv(opts.Getenv)
	if err != nil {
		return &FlagError{err}
	}
	cfg.DataDir = orString(opts.DataDir, cfg.DataDir)
	ms, err := daemon.Migrate(cmd.Context(), cfg, opts.DryRun)
	if err != nil {
		return err
	}
	verb := "applied"
	if opts.DryRun {
		verb = "would apply"
	}
	if len(ms) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "the schema is up to date")
		return nil
	}
	for _, m := range ms {
		fmt.Fprintf(opts.IO.Out, "%s %04d %s\n", verb, m.Version, m.Name)
	}
	return nil
}
