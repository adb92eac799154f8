package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

func fprintfLine(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format+"\n", args...)
}

// parseID reads a positive integer id; what names it in errors ("bot").
func parseID(s, what string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, flagErrorf("invalid %s ID %q: want a positive number", what, s)
	}
	return id, nil
}

// parseIDs reads several ids.
func parseIDs(ss []string, what string) ([]int64, error) {
	ids := make([]int64, 0, len(ss))
	for _, s := range ss {
		id, err := parseID(s, what)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// parseMetadata reads repeated key=value flags into a map.
func parseMetadata(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, flagErrorf("invalid --metadata %q: want key=value", p)
		}
		m[k] = v
	}
	return m, nil
}

// parseDuration is time.ParseDuration that also takes days ("7d").
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// parseJoinAt reads an absolute RFC 3339 time or "+10m" from now.
func parseJoinAt(s string, now time.Time) (time.Time, error) {
	if rel, ok := strings.CutPrefix(s, "+"); ok {
		d, err := parseDuration(rel)
		if err != nil || d <= 0 {
			return time.Time{}, flagErrorf("invalid --join-at %q: want RFC 3339 or +duration such as +10m", s)
		}
		return now.Add(d).UTC().Truncate(time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, flagErrorf("invalid --join-at %q: want RFC 3339 (2026-05-01T14:00:00Z) or +duration such as +10m", s)
	}
	return t, nil
}

// parseSince reads a point in time for filters: RFC 3339, a date (UTC
// midnight), or a duration meaning that long ago ("24h", "7d").
func parseSince(flag, s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := parseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, flagErrorf("invalid --%s %q: want RFC 3339, YYYY-MM-DD, or a duration ago such as 24h or 7d", flag, s)
}

// durationSeconds renders a seconds count compactly ("1h30m", "45s").
func durationSeconds(secs int64) string {
	if secs <= 0 {
		return "0s"
	}
	d := time.Duration(secs) * time.Second
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// oneLine keeps a value on one line of tab-separated output.
func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
