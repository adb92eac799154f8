// Package bar draws a capacity bar. Used and free cells are different
// glyphs, not only different colours, so the bar reads without colour.
package bar

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Render draws a bar width cells wide filled used/limit of the way. A limit
// of zero or less (no limit known) draws an empty bar.
func Render(used, limit, width int, usedStyle, freeStyle lipgloss.Style) string {
	if width <= 0 {
		return ""
	}
	filled := 0
	if limit > 0 {
		filled = min(width, (used*width+limit-1)/limit)
	}
	return usedStyle.Render(strings.Repeat("█", filled)) +
		freeStyle.Render(strings.Repeat("░", width-filled))
}
