package agent

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Status applies a status the bot reports. While LEAVING, non-final
// statuses are ignored (bots report their last steps on the way out); DONE
// after a leave request is recorded as left_by_request.
func (s *Service) Status(ctx context.Context, b store.BotState, req api.AgentStatusRequest) (Heartbeat, error) {
	v := &domain.Validator{}
	v.Check(req.Status.Valid() && req.Status != api.StatusScheduled && req.Status != api.StatusQueued && req.Status != api.StatusLeaving,
		"status", "must be a status a bot reports (JOINING_CALL .. DONE, FATAL)")
	v.MaxLen(req.SubCode, 64, "subCode")
	v.MaxLen(req.Description, 1024, "description")
	v.MaxLen(req.Recording, 1024, "recording")
	v.Check(len(req.SpeakerTimeframes) <= 1<<18, "speakerTimeframes", "is too large")
	if err := v.Err(); err != nil {
		return Heartbeat{}, err
	}
	req.SubCode, req.Description, req.Recording = domain.Clean(req.SubCode), domain.Clean(req.Description), domain.Clean(req.Recording)
	var err error
	if req.SpeakerTimeframes, err = domain.CleanJSON(req.SpeakerTimeframes); err != nil {
		return Heartbeat{}, domain.Invalid("speakerTimeframes", "must be JSON")
	}
	if b.Status == api.StatusLeaving && !req.Status.Terminal() && req.Status != api.StatusCallEnded {
		return s.Heartbeat(b), nil
	}
	p := store.TransitionParams{BotID: b.ID, To: req.Status, SubCode: req.SubCode, Detail: req.Description, RecordingKey: req.Recording,
		SpeakerTimeframes: req.SpeakerTimeframes, Event: &store.Event{BotID: b.ID, Type: string(req.Status), Data: statusEventData(req)}}
	switch req.Status {
	case api.StatusDone:
		p.Reason = api.ReasonCompleted
		if b.Status == api.StatusLeaving {
			p.Reason = api.ReasonLeftByRequest
		}
		if b.RecordingEnabled && req.Recording == "" {
			p.Detail = strings.TrimSpace(p.Detail + " (recording was enabled but the bot reported none)")
		}
	case api.StatusFatal:
		p.Reason = orDefault(req.SubCode, api.ReasonBotError)
	}
	nb, err := s.life.Transition(ctx, p)
	if err != nil {
		return Heartbeat{}, err
	}
	return s.Heartbeat(store.BotState{ID: nb.ID, UserID: nb.UserID, Status: nb.Status, LogLevel: nb.LogLevel, RecordingEnabled: nb.RecordingEnabled, EndedAt: nb.EndedAt}), nil
}

func statusEventData(req api.AgentStatusRequest) json.RawMessage {
	if req.SubCode == "" && req.Description == "" {
		return nil
	}
	data, _ := json.Marshal(map[string]string{"sub_code": req.SubCode, "description": req.Description})
	return data
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
