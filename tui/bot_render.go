package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/meeboter/meeboter/api"
)

// detailLines is the height of the bot's detail block.
const detailLines = 4

// eventRows is how many recent events show: a few on a small screen, more
// on a tall one, the log taking the rest.
func (v *botView) eventRows() int { return max(2, min(8, (v.height-8)/3)) }

func (v *botView) layout() {
	used := detailLines + 1 + 1 + v.eventRows() + 1 + 1
	v.log.SetSize(v.width, max(1, v.height-used))
}

func (v *botView) Bindings() []keysBinding {
	k := v.c.Keys
	switch v.mode {
	case modeConfirm:
		return []keysBinding{k.Confirm, k.Deny}
	case modeChat:
		return []keysBinding{{Label: "enter", Help: "send"}, {Label: "esc", Help: "cancel"}}
	case modeSearch:
		return []keysBinding{{Label: "enter", Help: "keep search"}, {Label: "esc", Help: "clear search"}}
	}
	return []keysBinding{k.Back, k.Follow, k.Search, k.Level, k.Describe, k.Leave, k.Cancel, k.Chat}
}

// Prompt is the question or text field shown in the status line while the
// view captures keys.
func (v *botView) Prompt() string {
	switch v.mode {
	case modeChat:
		return v.chat.Render(v.width)
	case modeSearch:
		return v.search.Render(v.width)
	case modeConfirm:
		if v.pending == actionChat {
			return fmt.Sprintf("Send %q to bot %d? [y/n]", v.chat.Value(), v.id)
		}
		return fmt.Sprintf("%s bot %d? [y/n]", capitalize(v.pending.verb()), v.id)
	}
	return ""
}

func (v *botView) Render() string {
	b, ok := v.f.bot(v.id)
	if !ok {
		return v.c.Styles.Muted.Render(fmt.Sprintf("loading bot %d…", v.id))
	}
	st := v.c.Styles
	lines := v.details(b)
	lines = append(lines, "", st.Header.Render("Events"))
	lines = append(lines, v.eventLines()...)
	lines = append(lines, "", st.Header.Render(v.logTitle()))
	return strings.Join(lines, "\n") + "\n" + v.log.Render()
}

func (v *botView) details(b api.Bot) []string {
	st, now := v.c.Styles, v.c.Now()
	title := st.Title.Render(fmt.Sprintf("Bot #%d %s", b.ID, b.DisplayName)) + "  " +
		st.Status(b.Status).Render(string(b.Status))
	if b.EndReason != "" {
		title += "  " + st.Error.Render(strings.TrimSuffix(b.EndReason+": "+b.EndDetail, ": "))
	}
	kv := func(k, val string) string { return st.Label.Render(k) + " " + val }
	return []string{
		title,
		kv("meeting  ", orDash(b.Meeting.Platform)+"  "+b.Meeting.MeetingURL),
		kv("platform ", orDash(b.DeploymentPlatform)+" "+orDash(b.PlatformID)) + "   " +
			kv("heartbeat", agoText(now, b.LastHeartbeatAt)),
		kv("created  ", agoText(now, &b.CreatedAt)) + "   " + kv("joined", agoText(now, b.JoinedAt)) +
			"   " + kv("ended", agoText(now, b.EndedAt)),
	}
}

func (v *botView) eventLines() []string {
	rows := v.eventRows()
	out := make([]string, rows)
	evs := lastN(v.events, rows)
	if len(evs) == 0 {
		out[0] = v.c.Styles.Muted.Render("  no events yet")
	}
	loc := v.c.Now().Location()
	for i, e := range evs {
		line := fmt.Sprintf("  %s  %-20s %s", clockTime(e.Time.In(loc)), e.Type, string(e.Data))
		out[i] = ansi.Truncate(line, v.width, "…")
	}
	return out
}
