package cli

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

type loginOptions struct {
	deps
	Config     func() (*Config, error)
	HTTPClient func() *http.Client
	Server     string
	APIKey     string
}

func newCmdLogin(f *Factory, runF func(*loginOptions) error) *cobra.Command {
	opts := &loginOptions{deps: newDeps(f), Config: f.Config, HTTPClient: f.HTTPClient}
	cmd := &cobra.Command{
		Use:   "login --server URL --api-key KEY",
		Short: "Check an API key against a daemon and save both in the config file",
		Long: `Check the key by asking the daemon who it belongs to, then write the address
and key to the config file (mode 0600), so later commands need no flags.
The key can come on stdin instead of the command line, which keeps it out
of shell history and process listings. On the daemon's own machine there is
no need: its first start writes the config file.`,
		Example: `  $ meeboter login --server https://bots.example.com --api-key "$KEY"
  $ printenv MEEBOTER_KEY | meeboter login --server https://bots.example.com`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if opts.APIKey == "" && !opts.IO.IsStdinTTY() {
				key, err := readKey(opts.IO)
				if err != nil {
					return err
				}
				opts.APIKey = key
			}
			if opts.APIKey == "" {
				return flagErrorf("give --api-key, or pipe the key on stdin")
			}
			return run(runF, loginRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Server, "server", "", "daemon address (default: the configured one)")
	cmd.Flags().StringVar(&opts.APIKey, "api-key", "", "API key to save (default: read from stdin)")
	return cmd
}

// readKey reads the first line of stdin.
func readKey(ios *IOStreams) (string, error) {
	line, err := bufio.NewReader(ios.In).ReadString('\n')
	if err != nil && line == "" && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func loginRun(opts *loginOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	server := opts.Server
	if server == "" {
		server = cfg.Address.Value
	}
	c, err := api.NewClient(api.Config{Address: server, APIKey: opts.APIKey, HTTPClient: opts.HTTPClient()})
	if err != nil {
		return flagErrorf("%v", err)
	}
	me, err := c.Users().Me(opts.Ctx)
	if err != nil {
		return err
	}
	if cfg.FilePath == "" {
		return errors.New("no config file location: set MEEBOTER_CONFIG or HOME")
	}
	if err := api.WriteConfigFile(cfg.FilePath, api.FileConfig{Address: c.Address(), APIKey: opts.APIKey}); err != nil {
		return err
	}
	opts.hint("logged in to %s as %s (%s); saved to %s", c.Address(), me.Email, me.Role, cfg.FilePath)
	return nil
}
