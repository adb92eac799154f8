package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

type botRecordingOptions struct {
	deps
	ID       int64
	Download string
}

func newCmdBotRecording(f *Factory, runF func(*botRecordingOptions) error) *cobra.Command {
	opts := &botRecordingOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "recording ID [--download FILE]",
		Short: "Show a signed URL of a bot's recording, or download it",
		Long: `Print a URL that downloads the recording the bot made (create it with
--recording), valid for an hour unless the daemon says otherwise; anyone
holding it can download the file, with no API key. Piped: the URL alone.
A bot that made no recording exits 3.

With --download FILE, save the recording to FILE (readable by you alone,
since it holds the meeting) with a progress bar on a terminal, and print
the path.`,
		Example: `  $ meeboter bot recording 42
  $ curl -o call.wav "$(meeboter bot recording 42)"
  $ meeboter bot recording 42 --download call.wav`,
		Args: exactArgs(1, "a bot ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "bot")
			if err != nil {
				return err
			}
			opts.ID = id
			if opts.Download != "" && (opts.Output.JSON || opts.Output.Format != "") {
				return flagErrorf("--download prints the path it saved; it takes no --json or --output")
			}
			return run(runF, botRecordingRun, opts)
		},
	}
	opts.Output.register(cmd)
	cmd.Flags().StringVar(&opts.Download, "download", "", "save the recording to this file")
	return cmd
}

func botRecordingRun(opts *botRecordingOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	rec, err := c.Bots().Recording(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	if opts.Download != "" {
		return downloadRecording(opts, c, *rec)
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, rec)
	}
	fmt.Fprintln(opts.IO.Out, rec.URL)
	opts.hint("recording %s of bot %d; the URL works until %s", rec.Key, rec.BotID, rec.ExpiresAt.Format("15:04:05 MST"))
	return nil
}

// downloadRecording saves the recording into a temporary file next to the
// target and renames it into place, so the file is whole or absent.
func downloadRecording(opts *botRecordingOptions, c *api.Client, rec api.Recording) error {
	resp, err := c.Bots().OpenRecording(opts.Ctx, rec)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	tmp, err := os.CreateTemp(filepath.Dir(opts.Download), ".download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	bar := newProgress(opts.IO, resp.ContentLength)
	n, err := io.Copy(io.MultiWriter(tmp, bar), resp.Body)
	bar.done()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("download the recording: %w", err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("download the recording: got %d of %d bytes", n, resp.ContentLength)
	}
	if err := os.Rename(tmp.Name(), opts.Download); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, opts.Download)
	opts.hint("saved the recording of bot %d (%s)", opts.ID, byteSize(n))
	return nil
}
