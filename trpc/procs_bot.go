package trpc

import (
	"context"
	"errors"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc/superjson"
)

// botInput is the input of the calls that only name the bot ({id:"123"}).
type botInput struct {
	ID wireID `json:"id"`
}

func (in botInput) validate() error { return requireID("id", in.ID) }

func sendHeartbeat(ctx context.Context, s *server, id Identity, in botInput) (any, error) {
	if err := authorizeBot(id, int64(in.ID)); err != nil {
		return nil, err
	}
	return s.backend.Heartbeat(ctx, id, int64(in.ID))
}

// reportInput is bots.events.report's input.
type reportInput struct {
	ID    wireID `json:"id"`
	Event *Event `json:"event"`
}

func (in reportInput) validate() error {
	if in.Event == nil {
		return errors.New("event is required")
	}
	if in.Event.Time.IsZero() {
		return errors.New("event.eventTime is required")
	}
	return firstError(requireID("id", in.ID), oneOf("event.eventType", in.Event.Type, eventTypes))
}

// reportEvent stores an event; its free text is truncated, not refused,
// because the bot never retries a refused event.
func reportEvent(ctx context.Context, s *server, id Identity, in reportInput) (any, error) {
	if err := authorizeBot(id, int64(in.ID)); err != nil {
		return nil, err
	}
	ev := *in.Event
	if ev.Data != nil {
		ev.Data = &EventData{
			Description: truncatePtr(ev.Data.Description, maxLongText),
			SubCode:     truncatePtr(ev.Data.SubCode, maxShortText),
		}
	}
	return superjson.Undefined, s.backend.ReportEvent(ctx, id, int64(in.ID), ev)
}

// statusInput is bots.updateStatus's input; null fields are absent.
type statusInput struct {
	ID                wireID             `json:"id"`
	Status            api.BotStatus      `json:"status"`
	Recording         *string            `json:"recording"`
	SpeakerTimeframes []SpeakerTimeframe `json:"speakerTimeframes"`
}

func (in statusInput) validate() error {
	if !in.Status.Valid() {
		return oneOf("status", string(in.Status), statusStrings())
	}
	if len(in.SpeakerTimeframes) > maxTimeframes {
		return errors.New("speakerTimeframes: too many entries")
	}
	var rec string
	if in.Recording != nil {
		rec = *in.Recording
	}
	return firstError(requireID("id", in.ID), maxLen("recording", rec, maxRecordingKey))
}

func updateStatus(ctx context.Context, s *server, id Identity, in statusInput) (any, error) {
	if err := authorizeBot(id, int64(in.ID)); err != nil {
		return nil, err
	}
	u := StatusUpdate{Status: in.Status, Recording: in.Recording, SpeakerTimeframes: in.SpeakerTimeframes}
	if u.Recording != nil && *u.Recording == "" {
		u.Recording = nil
	}
	return superjson.Undefined, s.backend.UpdateStatus(ctx, id, int64(in.ID), u)
}

// botIDInput is the input of the calls that name the bot as botId: a
// number in bots.getConfig, a string in chat.dequeueMessage and logs.flush.
type botIDInput struct {
	BotID wireID `json:"botId"`
}

func (in botIDInput) validate() error { return requireID("botId", in.BotID) }

// dequeueMessage answers null (no message) or the popped message.
func dequeueMessage(ctx context.Context, s *server, id Identity, in botIDInput) (any, error) {
	if err := authorizeBot(id, int64(in.BotID)); err != nil {
		return nil, err
	}
	return s.backend.DequeueChat(ctx, id, int64(in.BotID))
}

func truncatePtr(s *string, limit int) *string {
	if s == nil {
		return nil
	}
	t := truncate(*s, limit)
	return &t
}
