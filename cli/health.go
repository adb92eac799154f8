package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
)

type healthOptions struct {
	IO      *IOStreams
	Getenv  func(string) string
	URL     string
	Timeout time.Duration
}

// newCmdHealth is the container health check: images built on distroless
// have no curl or shell, so the binary probes itself.
func newCmdHealth(f *Factory, runF func(*healthOptions) error) *cobra.Command {
	opts := &healthOptions{IO: f.IO, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Exit 0 if a daemon answers its readiness check, else 1 (for HEALTHCHECK)",
		Long: `Ask a daemon's /readyz once, with no retries, and exit 0 when it answers
2xx, 1 otherwise: the contract of container health checks. The default URL
is /readyz on the port of MEEBOTER_LISTEN (default 127.0.0.1:3000), on
loopback when the daemon listens on every interface.`,
		Example: `  # in a Dockerfile
  HEALTHCHECK CMD ["/meeboter", "health"]

  $ meeboter health --url http://127.0.0.1:3000/readyz --timeout 2s`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.resolve(); err != nil {
				return err
			}
			return run(runF, healthRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.URL, "url", "", "readiness URL (default http://127.0.0.1:<port of MEEBOTER_LISTEN>/readyz)")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 3*time.Second, "give up after this long")
	return cmd
}

// resolve fills the default URL and checks the flags.
func (o *healthOptions) resolve() error {
	if o.Timeout <= 0 {
		return flagErrorf("--timeout: want a positive duration such as 3s, got %v", o.Timeout)
	}
	if o.URL == "" {
		u, err := readyzURL(cmp.Or(o.Getenv("MEEBOTER_LISTEN"), daemon.DefaultListen))
		if err != nil {
			return flagErrorf("MEEBOTER_LISTEN: %v", err)
		}
		o.URL = u
		return nil
	}
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return flagErrorf("--url: want an http:// or https:// URL, got %q", o.URL)
	}
	return nil
}

// readyzURL turns a listen address into the URL a process on the same host
// reaches it at: an unspecified host (":3000", "0.0.0.0:3000", "[::]:3000")
// becomes loopback.
func readyzURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("want host:port, got %q", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}

// healthRun makes one request. Every failure exits 1, never the CLI's
// "unreachable" code, because container runtimes read any status other
// than 0 and 1 as a broken check rather than an unhealthy service.
func healthRun(opts *healthOptions) error {
	ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
	defer cancel()
	status, code, err := probe(ctx, opts.URL)
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "unhealthy: %s: %v\n", opts.URL, err)
		return &SilentError{Code: ExitError}
	}
	if code < 200 || code > 299 {
		fmt.Fprintf(opts.IO.ErrOut, "unhealthy: %s: %d %s %s\n", opts.URL, code, http.StatusText(code), status)
		return &SilentError{Code: ExitError}
	}
	_, err = fmt.Fprintf(opts.IO.Out, "healthy: %s: %d %s\n", opts.URL, code, status)
	return err
}

// probe GETs url and returns the status code and, when the body is the
// daemon's health document, its status word.
func probe(ctx context.Context, target string) (status string, code int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var h api.Health
	if body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10)); err == nil && json.Unmarshal(body, &h) == nil {
		status = h.Status
	}
	return status, resp.StatusCode, nil
}
