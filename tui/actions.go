package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
)

// action is something the dashboard asks the daemon to do to bots.
type action int

const (
	actionNone action = iota
	actionLeave
	actionCancel
	actionDelete
	actionChat
)

// verb is the action as a prompt's verb ("leave", "cancel").
func (a action) verb() string {
	switch a {
	case actionLeave:
		return "leave"
	case actionCancel:
		return "cancel"
	case actionDelete:
		return "delete"
	case actionChat:
		return "send a chat message to"
	}
	return ""
}

// done says, in a notice, that the action was done to bots: "asked bot
// 12 to leave", "cancelled 3 bots".
func (a action) done(ids []int64) string {
	bots := botsText(ids)
	switch a {
	case actionLeave:
		return "asked " + bots + " to leave"
	case actionCancel:
		return "cancelled " + bots
	case actionDelete:
		return "deleted " + bots
	}
	return "message queued for " + bots
}

// requestActionMsg asks the root model to run a confirmed action. From the
// bot view it names one bot (and the single-bot endpoints answer with the
// bot's new state); from the list, the selected bots, through the bulk
// endpoints.
type requestActionMsg struct {
	action action
	ids    []int64
	bulk   bool
	text   string
}

// progress is the notice shown while the daemon works.
func (r requestActionMsg) progress() string {
	return capitalize(r.action.verb()) + " " + botsText(r.ids) + "…"
}

// actionDoneMsg is the daemon's answer to an action: the bot's new state
// for a single-bot call, which bots it acted on, and why any failed.
type actionDoneMsg struct {
	action action
	ids    []int64
	bot    *api.Bot
	result *api.BulkResult
	err    error
}

// runAction performs a confirmed action.
func runAction(ctx context.Context, c Client, r requestActionMsg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, callTimeout)
		defer cancel()
		msg := actionDoneMsg{action: r.action, ids: r.ids}
		switch {
		case r.action == actionDelete:
			msg.result = deleteEach(ctx, c, r.ids)
		case r.action == actionChat:
			_, msg.err = c.SendChat(ctx, r.ids[0], r.text)
		case r.bulk && r.action == actionLeave:
			msg.result, msg.err = c.BulkLeave(ctx, r.ids)
		case r.bulk && r.action == actionCancel:
			msg.result, msg.err = c.BulkCancel(ctx, r.ids)
		case r.action == actionLeave:
			msg.bot, msg.err = c.LeaveBot(ctx, r.ids[0])
		case r.action == actionCancel:
			msg.bot, msg.err = c.CancelBot(ctx, r.ids[0])
		}
		return msg
	}
}

// deleteEach deletes bots one by one (the API has no bulk delete) and
// reports them as a bulk result.
func deleteEach(ctx context.Context, c Client, ids []int64) *api.BulkResult {
	res := &api.BulkResult{}
	for _, id := range ids {
		if err := c.DeleteBot(ctx, id); err != nil {
			res.Failed = append(res.Failed, api.BulkFailure{BotID: id, Error: err.Error()})
			continue
		}
		res.Succeeded = append(res.Succeeded, id)
	}
	return res
}

// actionDone applies the answer: a bot's new state, deleted bots gone,
// and a notice saying what happened, failures first.
func (m *Model) actionDone(msg actionDoneMsg) {
	if msg.err != nil {
		m.setNotice(msg.action.verb()+" "+botsText(msg.ids)+": "+msg.err.Error(), true)
		return
	}
	if msg.bot != nil {
		m.fleet.upsert(*msg.bot)
	}
	if msg.result == nil {
		m.setNotice(msg.action.done(msg.ids), false)
		m.syncViews()
		return
	}
	if msg.action == actionDelete {
		m.fleet.remove(msg.result.Succeeded...)
	}
	m.bots.clearSelection(msg.result.Succeeded...)
	m.syncViews()
	m.setNotice(resultText(msg.action, msg.result), len(msg.result.Failed) > 0)
}

// resultText says what a bulk action did: "cancelled 2 bots; bot 4: is
// IN_CALL (+1 more)".
func resultText(a action, res *api.BulkResult) string {
	text := a.done(res.Succeeded)
	if len(res.Failed) == 0 {
		return text
	}
	f := res.Failed[0]
	text = fmt.Sprintf("%s; %d failed: bot %d: %s", text, len(res.Failed), f.BotID, f.Error)
	if len(res.Failed) > 1 {
		text += fmt.Sprintf(" (+%d more)", len(res.Failed)-1)
	}
	return text
}

// botsText names bots for a person: "bot 12", "3 bots", "no bots".
func botsText(ids []int64) string {
	switch len(ids) {
	case 0:
		return "no bots"
	case 1:
		return "bot " + itoa(ids[0])
	}
	return plural(len(ids), "bot")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
