package sandbox

import (
	"context"
	"encoding/json"
	"time"

	"github.com/meeboter/meeboter/api"
)

// participants are the people the sandbox pretends to meet.
var participants = []struct{ ID, Name string }{
	{"sandbox-1", "Ada Lovelace"},
	{"sandbox-2", "Grace Hopper"},
}

// participants reports every participant joining or leaving at once.
func (b *bot) participants(ctx context.Context, eventType string) {
	now := time.Now().UTC()
	events := make([]api.AgentEvent, 0, len(participants))
	for _, p := range participants {
		data, _ := json.Marshal(map[string]string{"participantId": p.ID, "name": p.Name})
		events = append(events, api.AgentEvent{Type: eventType, Time: now, Data: data})
		b.log.Info(eventType, "participant", p.Name)
	}
	b.events(ctx, events...)
}

// events reports events, trying a few times; a lost event costs detail
// only, so failure is logged, not fatal.
func (b *bot) events(ctx context.Context, events ...api.AgentEvent) {
	err := b.cfg.bestEffort().do(ctx, func(ctx context.Context) error { return b.tr.Events(ctx, events) })
	switch {
	case quiet(err):
		b.gone.fire()
	case err != nil && ctx.Err() == nil:
		b.log.Warn("reporting events failed", "type", events[0].Type, "error", err)
	}
}

// speakerTimeframes splits the time in the call between the participants,
// in milliseconds since joining, in the shape the bot protocol uses.
func (b *bot) speakerTimeframes() json.RawMessage {
	b.mu.Lock()
	joined := b.inCall
	b.mu.Unlock()
	if joined.IsZero() {
		return nil
	}
	total := time.Since(joined).Milliseconds()
	type frame struct {
		Start       int64  `json:"start"`
		End         int64  `json:"end"`
		SpeakerName string `json:"speakerName"`
	}
	var frames []frame
	for i, p := range participants {
		n := int64(len(participants))
		frames = append(frames, frame{Start: total * int64(i) / n, End: total * int64(i+1) / n, SpeakerName: p.Name})
	}
	data, _ := json.Marshal(frames)
	return data
}
