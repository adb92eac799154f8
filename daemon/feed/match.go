package feed

import (
	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// wants reports whether the subscription shows a change of its user: a
// bot stream shows everything of its bot; a fleet stream shows bot states
// (those entering its statuses, when narrowed), events unless narrowed, and
// log lines when asked.
func (s *Subscription) wants(c store.Change) bool {
	if s.BotID != 0 {
		return c.BotID == s.BotID
	}
	switch c.Kind {
	case store.ChangeBot:
		return s.Status == nil || s.Status[c.Bot.Status]
	case store.ChangeEvent:
		return s.Status == nil
	case store.ChangeLogs:
		return s.Logs
	}
	return false
}

// Messages are the stream messages of one change: one, or one per log
// line, with the stored ids of events and lines.
func Messages(c store.Change) []Message {
	var out []Message
	switch {
	case c.Bot != nil:
		b := wire.Bot(*c.Bot)
		out = append(out, Message{Event: api.StreamEvent{Type: api.StreamBot, Bot: &b}})
	case c.Event != nil:
		e := wire.Event(*c.Event)
		out = append(out, Message{Event: api.StreamEvent{Type: api.StreamEventType, Event: &e}})
	default:
		for _, l := range c.Logs {
			line := wire.Log(l)
			out = append(out, Message{Event: api.StreamEvent{Type: api.StreamLog, Log: &line}})
		}
	}
	for i := range out {
		out[i].Seq = c.Seq
	}
	if len(out) > 0 {
		out[len(out)-1].Last = true
	}
	return out
}
