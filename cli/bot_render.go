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

// printBot prints one bot field by field: what it is, where it stands,
// why it ended (reason and the daemon's or bot's detail) and its metadata,
// one key per row so a script can pick one out.
func printBot(p *printer, b *api.Bot) error {
	status := p.status(b.Status)
	if p.pretty {
		status += statusNote(b)
	}
	pairs := [][2]string{
		{"id", strconv.FormatInt(b.ID, 10)},
		{"name", b.DisplayName},
		{"status", status},
		{"end_reason", b.EndReason},
		{"end_detail", b.EndDetail},
		{"meeting_url", b.Meeting.MeetingURL},
		{"meeting_platform", b.Meeting.Platform},
		{"join_at", optional(p, b.JoinAt)},
		{"priority", strconv.Itoa(b.Priority)},
		{"queue_position", nonZero(b.QueuePosition)},
		{"deployed_on", joinNonEmpty(" ", b.DeploymentPlatform, b.PlatformID)},
		{"last_heartbeat", optional(p, b.LastHeartbeatAt)},
		{"max_duration", durationSeconds(b.MaxDurationSeconds)},
		{"recording", b.Recording},
		{"callback_url", b.CallbackURL},
	}
	for _, k := range slices.Sorted(maps.Keys(b.Metadata)) {
		pairs = append(pairs, [2]string{"metadata." + k, b.Metadata[k]})
	}
	pairs = append(pairs, [][2]string{
		{"created", p.time(b.CreatedAt)},
		{"joined", optional(p, b.JoinedAt)},
		{"ended", optional(p, b.EndedAt)},
		{"updated", p.time(b.UpdatedAt)},
	}...)
	return p.detail(pairs)
}

// statusNote explains a status for people: the queue position and wait,
// or why the bot ended.
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

// nonZero renders n, or "" (skipped) for zero.
func nonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
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
