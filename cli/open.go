package cli

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
)

type openOptions struct {
	deps
	Getenv   func(string) string
	PrintURL bool
}

func newCmdOpen(f *Factory, runF func(*openOptions) error) *cobra.Command {
	opts := &openOptions{deps: newDeps(f), Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "open",
		Short: "Open the web console in a browser, already signed in",
		Long: `Ask the daemon for a one-time sign-in link to its web console and open a
browser on it. The link signs the browser in as you (as the API key this
CLI uses) once, and only within two minutes; after that it is worthless.

The browser is $BROWSER when set, else xdg-open (open on macOS). With
--print-url the link is printed instead, for a browser on another machine
or a script.`,
		Example: `  $ meeboter open
  # on a remote shell: open the printed link in your own browser
  $ meeboter open --print-url`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			return run(runF, openRun, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.PrintURL, "print-url", false, "print the sign-in link instead of opening a browser")
	return cmd
}

func openRun(opts *openOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	link, err := c.ConsoleLink(opts.Ctx)
	if err != nil {
		return err
	}
	// The link is built on the address this CLI reached the daemon at: a
	// browser beside the CLI reaches it there too, which the daemon's own
	// idea of its public URL need not promise.
	u := strings.TrimRight(c.Address(), "/") + link.Path
	if opts.PrintURL {
		_, err := fmt.Fprintln(opts.IO.Out, u)
		opts.hint("the link signs in once, until %s", link.ExpiresAt.Local().Format("15:04:05"))
		return err
	}
	if err := openBrowser(opts.Ctx, opts.Getenv("BROWSER"), u); err != nil {
		opts.hint("could not start a browser (%v); open this link yourself within two minutes:", err)
		_, err := fmt.Fprintln(opts.IO.Out, u)
		return err
	}
	opts.hint("opened the console in your browser")
	return nil
}

// openBrowser runs the browser command on u: $BROWSER (a command, the link
// appended as its last argument) or the system's opener.
func openBrowser(ctx context.Context, browser, u string) error {
	var argv []string
	switch {
	case strings.TrimSpace(browser) != "":
		argv = append(strings.Fields(browser), u)
	case runtime.GOOS == "darwin":
		argv = []string{"open", u}
	case runtime.GOOS == "windows":
		argv = []string{"rundll32", "url.dll,FileProtocolHandler", u}
	default:
		argv = []string{"xdg-open", u}
	}
	return exec.CommandContext(ctx, argv[0], argv[1:]...).Run()
}
