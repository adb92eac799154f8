package cli

import (
	"github.com/spf13/cobra"
)

// newCmdConfig groups the configuration commands.
func newCmdConfig(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "config <command>",
		Short:   "Inspect the CLI's configuration",
		Example: `  $ meeboter config view`,
	})
	cmd.AddCommand(newCmdConfigView(f, nil))
	return cmd
}

type configViewOptions struct {
	deps
	Config func() (*Config, error)
}

func newCmdConfigView(f *Factory, runF func(*configViewOptions) error) *cobra.Command {
	opts := &configViewOptions{deps: newDeps(f), Config: f.Config}
	cmd := &cobra.Command{
		Use:   "view",
		Short: "Show each setting and where it came from",
		Long: `Show the daemon address and API key this CLI would use, and where each came
from: a flag, an environment variable (MEEBOTER_ADDR, MEEBOTER_API_KEY), the
config file, or the default. Flags win over the environment, which wins over
the file. The key is masked after its first 8 characters.`,
		Example: `  $ meeboter config view
  $ MEEBOTER_ADDR=http://10.0.0.5:3000 meeboter config view`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, configViewRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func configViewRun(opts *configViewOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	masked := *cfg
	masked.APIKey.Value = maskKey(cfg.APIKey.Value)
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, masked)
	}
	p := opts.printer()
	t := p.table("SETTING", "VALUE", "SOURCE")
	key := masked.APIKey
	if key.Value == "" {
		key.Value = p.none()
	}
	t.row("address", masked.Address.Value, masked.Address.describe())
	t.row("api_key", key.Value, key.describe())
	t.row("config_file", p.orNone(cfg.FilePath), "")
	return t.render()
}
