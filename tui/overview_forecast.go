package tui

import (
	"fmt"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// nextHourLine shows each platform's next hour, one cell per step: ░ free
// room, ▒ some of the limit held, █ none left; then the most reserved at
// once. Held counts both reservations of scheduled bots and running bots
// expected to still run.
func (o *overview) nextHourLine() string {
	fc := o.f.forecast
	if fc == nil || len(fc.Platforms) == 0 {
		return o.label("Next hour") + " " + o.c.Styles.Muted.Render("no forecast")
	}
	var parts []string
	for _, fp := range fc.Platforms {
		var cells strings.Builder
		peak := 0
		for _, st := range fp.Steps {
			cells.WriteString(forecastCell(fp.Limit, st))
			peak = max(peak, st.Reserved)
		}
		parts = append(parts, fmt.Sprintf("%s %s %d reserved", fp.Platform, cells.String(), peak))
	}
	return o.label("Next hour") + " " + strings.Join(parts, " · ")
}

func forecastCell(limit int, st api.ForecastStep) string {
	switch held := st.Reserved + st.Running; {
	case limit > 0 && st.Free == 0:
		return "█"
	case held > 0:
		return "▒"
	}
	return "░"
}
