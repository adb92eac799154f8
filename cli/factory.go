package cli

import (
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/pflag"
)

// Factory hands commands their dependencies. Its funcs are lazy so a
// command that needs no daemon (version, completion, --help) never reads
// the config file or builds a client, and so tests can swap any one of
// them.
type Factory struct {
	// IO are the process's streams.
	IO *IOStreams
	// Config resolves flags > env > file > defaults. Depends on the root
	// command's persistent flags (--addr, --api-key) having been parsed.
	Config func() (*Config, error)
	// Client talks to the daemon. Depends on Config, and on HTTPClient for
	// the transport.
	Client func() (*api.Client, error)
	// HTTPClient is the transport with the CLI's retry policy.
	HTTPClient func() *http.Client
	// Now is the clock, for relative times and date defaults.
	Now func() time.Time
	// Getenv reads the environment.
	Getenv func(string) string
	// Build describes this binary (version, commit, date).
	Build BuildInfo

	// rootFlags holds --addr and --api-key once newCmdRoot has run.
	rootFlags *pflag.FlagSet
	// followRetry paces reconnecting a dropped bot stream (default 1 s).
	followRetry time.Duration
	// followLinger is how long `bot logs -f` waits for more lines after
	// the bot ended and the stream went quiet (default 1 s, 5 s at most).
	followLinger time.Duration
}

// NewFactory wires the real dependencies: the process's streams and
// environment, the config file named by api.ConfigFilePath, and an HTTP
// client that retries (see newHTTPClient).
func NewFactory() *Factory {
	f := &Factory{IO: SystemIO(), Now: time.Now, Getenv: os.Getenv, Build: buildInfo()}
	f.HTTPClient = sync.OnceValue(func() *http.Client { return newHTTPClient(defaultRetryPolicy, f.IO.ErrOut) })
	f.Config = sync.OnceValues(f.loadConfig)
	f.Client = sync.OnceValues(f.newClient)
	return f
}

// loadConfig resolves the layered configuration. Depends on rootFlags,
// Getenv and the config file.
func (f *Factory) loadConfig() (*Config, error) {
	path, err := api.ConfigFilePath()
	if err != nil {
		// Without a home directory there is no file layer; flags and
		// the environment still work.
		path = ""
	}
	return resolveConfig(configInputs{Flags: f.rootFlags, Getenv: f.Getenv, Path: path})
}

// newClient builds the API client. Depends on Config and HTTPClient.
func (f *Factory) newClient() (*api.Client, error) {
	return f.clientWith(f.HTTPClient())
}

// dashboardClient is the client of the dashboard, which owns the terminal:
// it retries as the others do but never says so on stderr, where the
// line would land on the dashboard's screen. Depends on Config.
func (f *Factory) dashboardClient() (*api.Client, error) {
	return f.clientWith(newHTTPClient(defaultRetryPolicy, nil))
}

func (f *Factory) clientWith(hc *http.Client) (*api.Client, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	return api.NewClient(api.Config{
		Address:    cfg.Address.Value,
		APIKey:     cfg.APIKey.Value,
		HTTPClient: hc,
		UserAgent:  "meeboter-cli/" + f.Build.Version,
	})
}
