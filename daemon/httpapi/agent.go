package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// The native agent API: thin decoders over the agent service, which the
// tRPC protocol of the original bot images uses too.

type agentKey struct{}

func agentBot(ctx context.Context) store.BotState {
	b, _ := ctx.Value(agentKey{}).(store.BotState)
	return b
}

// agentAuth requires the bot's own bearer token. The state read here is
// the one every call then works with: one read per request.
func (a *API) agentAuth(next handlerFunc) http.HandlerFunc {
	return a.wrap(func(w http.ResponseWriter, r *http.Request) (any, error) {
		b, err := a.svc.Agent.Authenticate(r.Context(), bearer(r))
		if err != nil {
			return nil, err
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), agentKey{}, b)))
	})
}

// AgentObserver hears how long each bot-facing call took, by protocol and
// operation, for metrics.
type AgentObserver interface {
	AgentRequest(protocol, operation string, d time.Duration)
}

// timedAgent reports a native agent call's duration, authentication and
// encoding included: what the bot waits for.
func (a *API) timedAgent(op string, next http.HandlerFunc) http.HandlerFunc {
	if a.cfg.Agent == nil {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next(w, r)
		a.cfg.Agent.AgentRequest("native", op, time.Since(start))
	}
}

func heartbeatView(hb agent.Heartbeat) api.AgentHeartbeat {
	return api.AgentHeartbeat{ShouldLeave: hb.ShouldLeave, LogLevel: hb.LogLevel, Status: hb.Status}
}

func (a *API) agentConfigHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	cfg, err := a.svc.Agent.Config(r.Context(), agentBot(r.Context()))
	if err != nil {
		return nil, err
	}
	b, v := cfg.Bot, wire.Bot(cfg.Bot)
	return api.AgentConfig{
		BotID: b.ID, UserID: b.UserID, Meeting: v.Meeting, DisplayName: b.DisplayName, ImageURL: b.ImageURL,
		StartTime: cfg.Start, EndTime: cfg.End, RecordingEnabled: b.RecordingEnabled,
		AutomaticLeave: v.AutomaticLeave, LogLevel: b.LogLevel, Metadata: v.Metadata,
	}, nil
}

// agentSlotHandler is getSlot's REST twin: a pool slot's container, with
// its slot token, asks for the config of the bot its slot runs now. 404
// when it runs none, 409 bot_ended when that bot has ended or is leaving:
// either way the container exits.
func (a *API) agentSlotHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	slot, err := a.svc.Agent.AuthenticateSlot(r.Context(), bearer(r))
	if err != nil {
		return nil, err
	}
	st, err := a.svc.Agent.SlotBot(r.Context(), slot)
	if err != nil {
		return nil, err
	}
	return a.agentConfigHandler(w, r.WithContext(context.WithValue(r.Context(), agentKey{}, st)))
}

func (a *API) agentHeartbeatHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	return heartbeatView(a.svc.Agent.Heartbeat(agentBot(r.Context()))), nil
}

func (a *API) agentStatusHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.AgentStatusRequest
	if err := decodeBotJSON(w, r, &req); err != nil {
		return nil, err
	}
	hb, err := a.svc.Agent.Status(r.Context(), agentBot(r.Context()), req)
	if err != nil {
		return nil, err
	}
	return heartbeatView(hb), nil
}

func (a *API) agentEventsHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.AgentEventsRequest
	if err := decodeBotJSON(w, r, &req); err != nil {
		return nil, err
	}
	n, err := a.svc.Agent.Events(r.Context(), agentBot(r.Context()), req.Events)
	if err != nil {
		return nil, err
	}
	return api.Accepted{Accepted: n}, nil
}

func (a *API) agentLogsHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.AgentLogsRequest
	if err := decodeBotJSON(w, r, &req); err != nil {
		return nil, err
	}
	n, err := a.svc.Agent.Logs(r.Context(), agentBot(r.Context()), req.Entries)
	if err != nil {
		return nil, err
	}
	return api.Accepted{Accepted: n}, nil
}

func (a *API) agentDequeueHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	m, err := a.svc.Agent.Dequeue(r.Context(), agentBot(r.Context()))
	if err != nil || m == nil {
		return noContent{}, err
	}
	return api.AgentChatMessage{ID: m.ID, Text: m.Text, TemplateID: m.TemplateID}, nil
}

func (a *API) agentScreenshotHandler(w http.ResponseWriter, r *http.Request) (any, error) {
	up, err := readScreenshot(w, r)
	if err != nil {
		return nil, err
	}
	sc, err := a.svc.Agent.SaveScreenshot(r.Context(), agentBot(r.Context()), up)
	if err != nil {
		return nil, err
	}
	return created{wire.Screenshot(sc)}, nil
}
