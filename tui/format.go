package tui

import (
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// since formats how long ago t was, compactly ("3s", "5m", "2h", "4d"),
// or "-" for a time that is not set.
func since(now time.Time, t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return short(now.Sub(*t))
}

// short formats a duration in its largest unit, for narrow columns.
func short(d time.Duration) string {
	d = max(0, d)
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

// wait formats a wait with two units ("2m10s"), where precision helps.
func wait(d time.Duration) string {
	d = max(0, d).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// endTime is when a bot ended, falling back to its last update.
func endTime(b api.Bot) time.Time {
	if b.EndedAt != nil {
		return *b.EndedAt
	}
	return b.UpdatedAt
}

// meetingPlatform is the bot's meeting platform in a short form.
func meetingPlatform(b api.Bot) string {
	switch b.Meeting.Platform {
	case api.MeetingGoogleMeet:
		return "meet"
	case api.MeetingMicrosoftTeams:
		return "teams"
	case "":
		return "-"
	}
	return b.Meeting.Platform
}

// orDash returns s, or "-" when s is empty, so empty cells stay visible.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clockTime formats a wall-clock time for the header and log lines.
func clockTime(t time.Time) string { return t.Format("15:04:05") }

// shortMeeting shortens a meeting platform name for narrow columns.
func shortMeeting(p string) string {
	return meetingPlatform(api.Bot{Meeting: api.Meeting{Platform: p}})
}

// plural counts things in words: "1 bot", "3 bots".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// agoText is since with " ago", or "-" for a time that is not set.
func agoText(now time.Time, t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return since(now, t) + " ago"
}
