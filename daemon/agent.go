package daemon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// afterEndGrace is how long an ended bot may still send logs and events:
// bots flush their last lines after reporting DONE.
const afterEndGrace = 5 * time.Minute

type agentKey struct{}

func agentBot(ctx context.Context) store.Bot {
	b, _ := ctx.Value(agentKey{}).(store.Bot)
	return b
}

// botByToken finds the bot a token was issued to. A token is valid for its
// own bot only; there is no way to name another bot with it.
func (s *Server) botByToken(ctx context.Context, token string) (store.Bot, error) {
	if !strings.HasPrefix(token, botTokenPrefix) {
		return store.Bot{}, store.ErrNotFound
	}
	return s.store.BotByToken(ctx, hashSecret(token))
}

// agentAuth requires the bot's own bearer token.
func (s *Server) agentAuth(next handlerFunc) http.HandlerFunc {
	return s.wrap(func(w http.ResponseWriter, r *http.Request) (any, error) {
		b, err := s.botByToken(r.Context(), bearer(r))
		if err != nil {
			return nil, newProblem(http.StatusUnauthorized, api.CodeUnauthorized, "send this bot's token as Authorization: Bearer <token>")
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), agentKey{}, b)))
	})
}

// errBotEnded answers a bot that has ended for good: it should exit.
func errBotEnded(b store.Bot) error {
	return newProblem(http.StatusGone, api.CodeConflict, "bot %d has ended (%s); the process should exit", b.ID, b.Status)
}

// agentConfig is what a bot needs to join. startTime is when this run was
// deployed (never the creation time), so a bot's duration guard counts from
// its own start.
func (s *Server) agentConfig(b store.Bot) (api.AgentConfig, error) {
	if b.Status.Terminal() || b.Status == api.StatusLeaving {
		return api.AgentConfig{}, errBotEnded(b)
	}
	start := s.now()
	if b.DeployStartedAt != nil {
		start = *b.DeployStartedAt
	}
	v := s.botToAPI(b)
	return api.AgentConfig{
		BotID: b.ID, UserID: b.UserID, Meeting: v.Meeting, DisplayName: b.DisplayName, ImageURL: b.ImageURL,
		StartTime: start, EndTime: start.Add(b.MaxDuration), RecordingEnabled: b.RecordingEnabled,
		AutomaticLeave: v.AutomaticLeave, LogLevel: b.LogLevel, Metadata: v.Metadata,
	}, nil
}

// agentHeartbeat records the beat (batched) and tells the bot whether to
// leave: when a leave was requested, and also when the bot has ended, so a
// cancelled bot's container stops instead of joining anyway.
func (s *Server) agentHeartbeat(b store.Bot) api.AgentHeartbeat {
	if !b.Status.Terminal() {
		s.beats.add(beat{botID: b.ID, at: s.now()})
	}
	return api.AgentHeartbeat{ShouldLeave: b.Status == api.StatusLeaving || b.Status.Terminal(), LogLevel: b.LogLevel, Status: b.Status}
}

// agentStatus applies a status the bot reports. While LEAVING, non-final
// statuses are ignored (bots report their last steps on the way out); DONE
// after a leave request is recorded as left_by_request.
func (s *Server) agentStatus(ctx context.Context, b store.Bot, req api.AgentStatusRequest) (api.AgentHeartbeat, error) {
	v := &validator{}
	v.check(req.Status.Valid() && req.Status != api.StatusScheduled && req.Status != api.StatusQueued && req.Status != api.StatusLeaving,
		"status", "must be a status a bot reports (JOINING_CALL .. DONE, FATAL)")
	v.maxLen(req.SubCode, 64, "subCode")
	v.maxLen(req.Description, 1024, "description")
	v.maxLen(req.Recording, 1024, "recording")
	v.check(len(req.SpeakerTimeframes) <= 1<<18, "speakerTimeframes", "is too large")
	if err := v.err(); err != nil {
		return api.AgentHeartbeat{}, err
	}
	if b.Status == api.StatusLeaving && !req.Status.Terminal() && req.Status != api.StatusCallEnded {
		return s.agentHeartbeat(b), nil
	}
	p := store.TransitionParams{BotID: b.ID, To: req.Status, Detail: req.Description, RecordingKey: req.Recording, SpeakerTimeframes: req.SpeakerTimeframes,
		Event: &store.Event{BotID: b.ID, Type: string(req.Status), Data: statusEventData(req)}}
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
	nb, err := s.transition(ctx, p)
	if err != nil {
		return api.AgentHeartbeat{}, err
	}
	return s.agentHeartbeat(nb), nil
}

// liveEnough refuses writes from a bot that ended more than the grace ago.
func (s *Server) liveEnough(b store.Bot) error {
	if b.EndedAt != nil && s.now().Sub(*b.EndedAt) > afterEndGrace {
		return errBotEnded(b)
	}
	return nil
}

func isGone(err error) bool {
	var pe *problemError
	return errors.As(err, &pe) && pe.status == http.StatusGone
}
