package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

// timeOf accepts a time or a pointer to one; nil and zero are no time.
func timeOf(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t == nil {
			return time.Time{}, false
		}
		return *t, !t.IsZero()
	}
	return time.Time{}, false
}

// exact is the full time, in UTC, for a title attribute.
func exact(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// iso is the machine form, for a datetime attribute.
func iso(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ago says how far t is from now, the way a person reads a page: "just
// now", "5 min ago", "in 2 h"; past a month, the date. The script
// refreshes it as the page stays open.
func ago(now time.Time, v any) string {
	t, ok := timeOf(v)
	if !ok {
		return "—"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < 45*time.Second:
		return "just now"
	case d < 90*time.Minute:
		s = fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	case d < 36*time.Hour:
		s = fmt.Sprintf("%d h", int(d.Round(time.Hour)/time.Hour))
	case d < 30*24*time.Hour:
		s = fmt.Sprintf("%d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
	default:
		return t.UTC().Format("2 Jan 2006")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// statusClass is the CSS class of a status badge; the badge also says the
// status in words, so nothing depends on its colour.
func statusClass(s api.BotStatus) string {
	return "st st-" + strings.ToLower(string(s))
}

// statusText is a status as a person reads it.
func statusText(s api.BotStatus) string {
	return strings.ReplaceAll(strings.ToLower(string(s)), "_", " ")
}

// waitText is an estimated wait, in seconds or as a duration, rounded as
// an estimate is.
func waitText(v any) string {
	var secs int64
	switch w := v.(type) {
	case int64:
		secs = w
	case time.Duration:
		secs = int64(w.Seconds())
	}
	switch {
	case secs <= 0:
		return "—"
	case secs < 90:
		return "about a minute"
	case secs < 90*60:
		return fmt.Sprintf("about %d min", (secs+30)/60)
	}
	return fmt.Sprintf("about %.1f h", float64(secs)/3600)
}

func compactJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
