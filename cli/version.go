package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at link time by the release build:
//
//	-ldflags "-X github.com/meeboter/meeboter/cli.version=v1.2.3
//	          -X github.com/meeboter/meeboter/cli.commit=abc1234
//	          -X github.com/meeboter/meeboter/cli.date=2026-01-02T03:04:05Z"
var (
	version = ""
	commit  = ""
	date    = ""
)

// BuildInfo says which build this binary is.
type BuildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
}

// buildInfo prefers the ldflags values and falls back to what the Go
// toolchain recorded, so `go install` builds still report something true.
func buildInfo() BuildInfo {
	b := BuildInfo{Version: version, Commit: commit, Date: date}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return withUnknowns(b)
	}
	if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && b.Commit == "":
			b.Commit = s.Value
		case s.Key == "vcs.time" && b.Date == "":
			b.Date = s.Value
		}
	}
	return withUnknowns(b)
}

func withUnknowns(b BuildInfo) BuildInfo {
	if b.Version == "" {
		b.Version = "dev"
	}
	if len(b.Commit) > 12 {
		b.Commit = b.Commit[:12]
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

type versionOptions struct {
	IO     *IOStreams
	Build  BuildInfo
	Output outputFlags
}

func newCmdVersion(f *Factory, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{IO: f.IO, Build: f.Build}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date of this binary",
		Example: `  $ meeboter version
  meeboter v1.2.3 (commit abc1234, built 2026-01-02T03:04:05Z)`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(runF, versionRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

// addVersionFlag gives root a --version flag that prints what `meeboter
// version` does. cobra's own flag prints through a text template, and a
// reachable template executor makes the linker keep every exported
// method in the binary.
func addVersionFlag(root *cobra.Command, f *Factory) {
	root.Flags().BoolP("version", "v", false, "print the version of this binary")
	group := root.RunE
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if on, _ := cmd.Flags().GetBool("version"); on {
			return versionRun(&versionOptions{IO: f.IO, Build: f.Build})
		}
		return group(cmd, args)
	}
}

func versionRun(opts *versionOptions) error {
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, opts.Build)
	}
	b := opts.Build
	_, err := fmt.Fprintf(opts.IO.Out, "meeboter %s (commit %s, built %s)\n", b.Version, b.Commit, b.Date)
	return err
}
