package trpc

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/meeboter/meeboter/api"
)

// Bounds on free text from the bots. They are generous: a refused call is
// retried forever by the log streamer, so text that is merely long is
// truncated rather than refused (see truncate).
const (
	maxShortText    = 256      // ids, states, locations, levels
	maxLongText     = 16 << 10 // event descriptions, screenshot triggers
	maxLogMessage   = 32 << 10
	maxLogContext   = 64 << 10
	maxLogEntries   = 1000
	maxRecordingKey = 1024
	maxTimeframes   = 10000
)

// eventTypes are the server's event codes: every status (LEAVING included),
// the codes only bots emit, and those only the server generates.
var eventTypes = append(statusStrings(),
	"PARTICIPANT_JOIN", "PARTICIPANT_LEAVE", "LOG", "SIGN_IN_REQUIRED", "CAPTCHA_DETECTED",
	"MEETING_NOT_FOUND", "MEETING_ENDED", "PERMISSION_DENIED", "JOIN_BLOCKED", "RESTARTING",
	"USER_REMOVED_FROM_CALL", "USER_CANCELLED_DEPLOYMENT",
)

// logLevels are the levels a bot streams (it sends every level).
var logLevels = []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}

// screenshotTypes are the accepted values of a screenshot's "type" part.
var screenshotTypes = []string{"error", "fatal", "manual", "state_change"}

func statusStrings() []string {
	out := make([]string, len(api.AllStatuses))
	for i, s := range api.AllStatuses {
		out[i] = string(s)
	}
	return out
}

// oneOf reports a value outside its enumeration.
func oneOf(name, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s: invalid value %q", name, clip(v, 64))
	}
	return nil
}

// maxLen reports text longer than limit bytes.
func maxLen(name, v string, limit int) error {
	if len(v) > limit {
		return fmt.Errorf("%s: longer than %d bytes", name, limit)
	}
	return nil
}

// truncate shortens s to at most limit bytes on a rune boundary, marking
// the cut.
func truncate(s string, limit int) string {
	const mark = "…[truncated]"
	if len(s) <= limit {
		return s
	}
	return clip(s, limit-len(mark)) + mark
}

// clip cuts s to at most n bytes without splitting a rune.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
