package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// logLevels are the levels of bot log lines, lowest first. The level key
// cycles the pane's minimum through them, from all lines up to ERROR.
var logLevels = []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}

// levelRank orders a line's level; a level the dashboard does not know
// ranks as INFO, so it is neither hidden early nor shown as an error.
func levelRank(level string) int {
	if i := slices.Index(logLevels, strings.ToUpper(level)); i >= 0 {
		return i
	}
	return slices.Index(logLevels, "INFO")
}

// shown reports whether a log line passes the level and search filters.
func (v *botView) shown(l api.LogEntry) bool {
	if levelRank(l.Level) < v.minLevel {
		return false
	}
	q := strings.ToLower(v.search.Value())
	return q == "" || strings.Contains(strings.ToLower(l.Message), q) || strings.Contains(strings.ToLower(string(l.Fields)), q)
}

func (v *botView) logLines() []string {
	loc := v.c.Now().Location()
	var out []string
	for _, l := range v.logs {
		if v.shown(l) {
			out = append(out, fmt.Sprintf("%s %-5s %s", clockTime(l.Time.In(loc)), strings.ToUpper(l.Level), l.Message))
		}
	}
	return out
}

// logTitle heads the log pane: how many lines, which filters, following
// or not.
func (v *botView) logTitle() string {
	follow := "following"
	if !v.log.Follow {
		follow = "paused, f to follow"
	}
	var filters []string
	if v.minLevel > 0 {
		filters = append(filters, "≥"+logLevels[v.minLevel])
	}
	if q := v.search.Value(); q != "" {
		filters = append(filters, fmt.Sprintf("%q", q))
	}
	if len(filters) == 0 {
		return fmt.Sprintf("Log (%d lines, %s)", len(v.logs), follow)
	}
	shown := 0
	for _, l := range v.logs {
		if v.shown(l) {
			shown++
		}
	}
	return fmt.Sprintf("Log (%d of %d lines: %s; %s)", shown, len(v.logs), strings.Join(filters, ", "), follow)
}
