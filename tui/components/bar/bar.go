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
	filled := Filled(used, limit, width)
	return usedStyle.Render(strings.Repeat("█", filled)) +
		freeStyle.Render(strings.Repeat("░", width-filled))
}

// Filled is how many of width cells show used of limit. It rounds down, so
// the bar never looks fuller than it is, with two exceptions that keep it
// honest at the ends: any use fills at least one cell, and only a platform
// with no room left fills them all.
func Filled(used, limit, width int) int {
	if limit <= 0 || used <= 0 || width <= 0 {
		return 0
	}
	if used >= limit {
		return width
	}
	return min(width-1, max(1, used*width/limit))
}
