package cli

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

// printBots prints a list of bots as a table.
func printBots(p *printer, bots []api.Bot) error {
	t := p.table("ID", "STATUS", "MEETING", "NAME", "PLATFORM", "CREATED")
	for _, b := range bots {
		t.row(strconv.FormatInt(b.ID, 10), p.status(b.Status), p.orNone(b.Meeting.Platform),
			p.orNone(b.DisplayName), p.orNone(b.DeploymentPlatform), p.time(b.CreatedAt))
	}
	return t.render()
}

// printBot prints one bot field by field.
func printBot(p *printer, b *api.Bot) error {
	return p.detail([][2]string{
		{"id", strconv.FormatInt(b.ID, 10)},
		{"name", b.DisplayName},
		{"status", p.status(b.Status) + statusNote(b)},
		{"meeting_url", b.Meeting.MeetingURL},
		{"meeting_platform", b.Meeting.Platform},
		{"join_at", optional(p, b.JoinAt)},
		{"deployed_on", joinNonEmpty(" ", b.DeploymentPlatform, b.PlatformID)},
		{"max_duration", durationSeconds(b.MaxDurationSeconds)},
		{"recording", b.Recording},
		{"callback_url", b.CallbackURL},
		{"metadata", formatMetadata(b.Metadata)},
		{"created", p.time(b.CreatedAt)},
		{"updated", p.time(b.UpdatedAt)},
		{"ended", optional(p, b.EndedAt)},
	})
}

// statusNote explains a status: the queue position and wait, or why the
// bot ended.
func statusNote(b *api.Bot) string {
	switch {
	case b.Status == api.StatusQueued && b.QueuePosition > 0:
		return fmt.Sprintf(" (position %d, ~%s)", b.QueuePosition, durationSeconds(b.EstimatedWaitSeconds))
	case b.Status.Terminal() && b.EndReason != "":
		if b.EndDetail != "" {
			return fmt.Sprintf(" (%s: %s)", b.EndReason, b.EndDetail)
		}
		return " (" + b.EndReason + ")"
	}
	return ""
}

// optional renders an optional time, or "" so detail skips it.
func optional(p *printer, t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.time(*t)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// formatMetadata renders metadata as sorted k=v pairs.
func formatMetadata(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + m[k]
	}
	return strings.Join(pairs, ",")
}
