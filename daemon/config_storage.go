package daemon

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StorageConfig is where a bot's logs, screenshots and recordings go and
// how long they stay. Zero values take the defaults of daemon/archive.
type StorageConfig struct {
	// LogRetention keeps an ended bot's log this long
	// (MEEBOTER_LOG_RETENTION, default 30d); ScreenshotRetention its
	// screenshots (MEEBOTER_SCREENSHOT_RETENTION, default LogRetention).
	LogRetention        time.Duration
	ScreenshotRetention time.Duration
	// RecordingURLTTL and ScreenshotURLTTL are the lifetimes of signed
	// download URLs (MEEBOTER_RECORDING_URL_TTL, default 1h;
	// MEEBOTER_SCREENSHOT_URL_TTL, default 15m).
	RecordingURLTTL  time.Duration
	ScreenshotURLTTL time.Duration
	// ArchiveLines and ArchiveEvery make a running bot's log due for the
	// archive at this many lines (MEEBOTER_LOG_ARCHIVE_LINES, default
	// 5000) or with a line this old (MEEBOTER_LOG_ARCHIVE_EVERY, default
	// 5m).
	ArchiveLines int
	ArchiveEvery time.Duration
	// ArchiveQuiet keeps a running bot's lines younger than this in the
	// database (MEEBOTER_LOG_ARCHIVE_QUIET, default 1m): a bot resending a
	// batch it got no answer for is deduplicated only against lines still
	// there.
	ArchiveQuiet time.Duration
}

// fromEnv reads the MEEBOTER_* storage settings.
func (c *StorageConfig) fromEnv(getenv func(string) string) error {
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{
		{"MEEBOTER_LOG_RETENTION", &c.LogRetention},
		{"MEEBOTER_SCREENSHOT_RETENTION", &c.ScreenshotRetention},
		{"MEEBOTER_RECORDING_URL_TTL", &c.RecordingURLTTL},
		{"MEEBOTER_SCREENSHOT_URL_TTL", &c.ScreenshotURLTTL},
		{"MEEBOTER_LOG_ARCHIVE_EVERY", &c.ArchiveEvery},
		{"MEEBOTER_LOG_ARCHIVE_QUIET", &c.ArchiveQuiet},
	} {
		v, err := parseDays(getenv(d.key))
		if err != nil {
			return fmt.Errorf("%s: %w", d.key, err)
		}
		*d.dst = v
	}
	if v := getenv("MEEBOTER_LOG_ARCHIVE_LINES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50_000 {
			return fmt.Errorf("MEEBOTER_LOG_ARCHIVE_LINES: want a whole number from 1 to 50000, got %q", v)
		}
		c.ArchiveLines = n
	}
	return nil
}

// parseDays reads a duration such as 90s or 12h, or a number of days
// such as 30d, which is how retention is usually said.
func parseDays(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok && v != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("want a duration such as 30d, 12h or 90s, got %q", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := parseDuration(v, false)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 30d, 12h or 90s, got %q", v)
	}
	return d, nil
}
