// Package scroll is a view of lines that can follow its end, like tail -f,
// or stay where the reader scrolled to.
package scroll

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View shows a window of lines.
type View struct {
	// Follow keeps the last line in view as lines arrive.
	Follow bool

	lines         []string
	width, height int
	offset        int
}

// New returns a view that follows its end.
func New() *View { return &View{Follow: true} }

// SetSize sets the space the view may use.
func (v *View) SetSize(width, height int) {
	v.width, v.height = width, max(1, height)
	v.clamp()
}

// SetLines replaces the lines.
func (v *View) SetLines(lines []string) {
	v.lines = lines
	v.clamp()
}

// Scroll moves the window by delta lines. Scrolling up stops following,
// since a reader who went back to read does not want to be pulled away.
func (v *View) Scroll(delta int) {
	if delta < 0 {
		v.Follow = false
	}
	v.offset += delta
	v.clamp()
}

// ToggleFollow turns following on (jumping to the end) or off.
func (v *View) ToggleFollow() {
	v.Follow = !v.Follow
	v.clamp()
}

// Page is the number of lines one screen shows.
func (v *View) Page() int { return v.height }

func (v *View) clamp() {
	last := max(0, len(v.lines)-v.height)
	if v.Follow {
		v.offset = last
	}
	v.offset = max(0, min(v.offset, last))
}

// Render draws exactly height lines, cut to width.
func (v *View) Render() string {
	out := make([]string, v.height)
	for i := range out {
		if j := v.offset + i; j < len(v.lines) {
			out[i] = ansi.Truncate(v.lines[j], v.width, "…")
		}
	}
	return strings.Join(out, "\n")
}
