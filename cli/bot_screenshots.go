package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

func newCmdBotScreenshots(f *Factory, runF func(*botPageOptions) error) *cobra.Command {
	var dir string
	cmd := newBotPageCmd(f, &cobra.Command{
		Use:   "screenshots ID [--download DIR]",
		Short: "List a bot's screenshots, or download them",
		Long: `List the screenshots a bot took (on joining, on each status, on failure),
oldest first. Piped: id, captured (RFC 3339), type, state, trigger, size in
bytes, download URL.

With --download DIR, save the listed screenshots into DIR (made if
missing) as bot-<bot id>-screenshot-<id>.png, readable by you alone since
they show the meeting, and print the paths written. Downloading needs the
daemon to give each screenshot a URL; without one it is an error, and the
listing still works.`,
		Example: `  $ meeboter bot screenshots 42
  $ meeboter bot screenshots 42 --all --download ./shots`,
	}, "screenshots", runF, func(opts *botPageOptions) error {
		if dir != "" {
			if opts.Output.JSON || opts.Output.Format != "" {
				return flagErrorf("--download prints the paths it saved; it takes no --json or --output")
			}
			return downloadScreenshots(opts, dir)
		}
		return listBotPages(opts, fetchScreenshots, printScreenshots)
	})
	cmd.Flags().StringVar(&dir, "download", "", "save the screenshots into this directory")
	return cmd
}

func fetchScreenshots(c *api.Client, ctx context.Context, id int64, cursor string, limit int) (*api.List[api.Screenshot], error) {
	return c.Bots().Screenshots(ctx, id, cursor, limit)
}

// printScreenshots prints screenshots as a table.
func printScreenshots(p *printer, shots []api.Screenshot) error {
	t := p.table("ID", "CAPTURED", "TYPE", "STATE", "TRIGGER", "SIZE", "URL")
	for _, s := range shots {
		size := strconv.FormatInt(s.Size, 10)
		if p.pretty {
			size = byteSize(s.Size)
		}
		t.row(strconv.FormatInt(s.ID, 10), p.time(s.CapturedAt), s.Type, p.orNone(s.State), p.orNone(s.Trigger), size, p.orNone(s.URL))
	}
	return t.render()
}

// downloadScreenshots saves the pages the flags select into dir.
func downloadScreenshots(opts *botPageOptions, dir string) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.Screenshot], error) {
		return fetchScreenshots(c, ctx, opts.ID, cursor, limit)
	})
	if err != nil {
		return err
	}
	if len(list.Items) == 0 {
		opts.hint("bot %d has no screenshots", opts.ID)
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, s := range list.Items {
		file := screenshotFile(dir, opts.ID, s)
		n, err := saveScreenshot(opts.Ctx, c, s, file)
		if errors.Is(err, api.ErrNoDownloadURL) {
			return fmt.Errorf("%w; `meeboter bot screenshots %d` lists them", err, opts.ID)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.Out, file)
		opts.hint("saved screenshot %d (%s, %s)", s.ID, s.Type, byteSize(n))
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}

// saveScreenshot downloads s into a temporary file next to file and renames
// it into place, so file is either whole or absent.
func saveScreenshot(ctx context.Context, c *api.Client, s api.Screenshot, file string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".download-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	n, err := c.Bots().DownloadScreenshot(ctx, s, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), file)
}

// screenshotFile is where a download goes: a name made of ids, never of
// what the daemon sent, so no key can steer a file outside dir.
func screenshotFile(dir string, botID int64, s api.Screenshot) string {
	ext := strings.ToLower(path.Ext(s.Key))
	switch ext {
	case ".png", ".jpg", ".jpeg", ".webp":
	default:
		ext = ".png"
	}
	return filepath.Join(dir, fmt.Sprintf("bot-%d-screenshot-%d%s", botID, s.ID, ext))
}

// byteSize renders a size for people: 812 B, 183 KB, 1.4 MB.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", n/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
