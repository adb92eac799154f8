package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
)

// outputFlags are -o/--output and --json, shared by every command that
// prints data.
type outputFlags struct {
	Format string
	JSON   bool
}

// register adds the flags and checks them before the command runs.
func (o *outputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&o.Format, "output", "o", "",
		"output format: table, tsv or json (default: table on a terminal, tsv when piped)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON (the API's wire types), same as -o json")
	prev := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if err := o.validate(); err != nil {
			return err
		}
		if prev != nil {
			return prev(cmd, args)
		}
		return nil
	}
}

func (o *outputFlags) validate() error {
	switch o.Format {
	case "", "table", "tsv", "json":
	default:
		return flagErrorf("invalid --output %q: use table, tsv or json", o.Format)
	}
	if o.JSON && o.Format != "" && o.Format != "json" {
		return flagErrorf("--json and -o %s cannot be used together", o.Format)
	}
	return nil
}

// isJSON reports whether the wire types should be printed as they are.
func (o outputFlags) isJSON() bool { return o.JSON || o.Format == "json" }

// pretty reports whether to print for a person: padded columns and
// relative times. It is the default on a terminal.
func (o outputFlags) pretty(ios *IOStreams) bool {
	if o.Format == "" {
		return ios.IsStdoutTTY()
	}
	return o.Format == "table"
}

// writeJSON prints v indented. The api types define the JSON, so this is
// the CLI's stable machine-readable contract.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printer formats values for the chosen mode.
type printer struct {
	out    io.Writer
	pretty bool
	color  bool
	now    time.Time
}

// newPrinter picks the mode from the flags and the terminal. Colour needs
// the pretty mode, a terminal and no NO_COLOR.
func newPrinter(ios *IOStreams, o outputFlags, now func() time.Time) *printer {
	pretty := o.pretty(ios)
	return &printer{out: ios.Out, pretty: pretty, color: pretty && ios.ColorEnabled(), now: now()}
}

// time is relative on a terminal ("5m ago") and RFC 3339 UTC otherwise.
func (p *printer) time(t time.Time) string {
	if t.IsZero() {
		return p.none()
	}
	if !p.pretty {
		return t.UTC().Format(time.RFC3339)
	}
	return relativeTime(t, p.now)
}

// timePtr is time for optional fields.
func (p *printer) timePtr(t *time.Time) string {
	if t == nil {
		return p.none()
	}
	return p.time(*t)
}

// none marks an absent value: "-" for people, empty for scripts.
func (p *printer) none() string {
	if p.pretty {
		return "-"
	}
	return ""
}

// orNone returns s, or none() when it is empty.
func (p *printer) orNone(s string) string {
	if s == "" {
		return p.none()
	}
	return s
}

// relativeTime says how far t is from now in the largest whole unit.
func relativeTime(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < -30*time.Second:
		return "in " + roughDuration(-d)
	case d < 30*time.Second:
		return "just now"
	}
	return roughDuration(d) + " ago"
}

// roughDuration renders d in its largest whole unit: 45s, 12m, 3h, 2d.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
