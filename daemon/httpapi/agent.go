package httpapi

import (
	"context"
	"net/http"
	"strconv"
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

// agentBeatAuth is agentAuth for heartbeats, whose state may come from
// memory (agent.Service.AuthenticateBeat).
func (a *API) agentBeatAuth(next handlerFunc) http.HandlerFunc {
	return a.wrap(func(w http.ResponseWriter, r *http.Request) (any, error) {
		b, err := a.svc.Agent.AuthenticateBeat(r.Context(), bearer(r))
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
	hb := a.svc.Agent.Heartbeat(agentBot(r.Context()))
	if b, ok := heartbeatJSON(hb); ok {
		return b, nil
	}
	return heartbeatView(hb), nil
}

// heartbeatJSON writes the heartbeat answer as encoding/json would
// (newline included), without reflection; ok is false for a log level or
// status it cannot write plainly, which then takes the general path.
func heartbeatJSON(hb agent.Heartbeat) (rawJSON, bool) {
	if !plainJSON(hb.LogLevel) || !plainJSON(string(hb.Status)) {
		return nil, false
	}
	b := make([]byte, 0, 80)
	b = append(b, `{"shouldLeave":`...)
	b = strconv.AppendBool(b, hb.ShouldLeave)
	b = append(b, `,"logLevel":"`...)
	b = append(b, hb.LogLevel...)
	b = append(b, `","status":"`...)
	b = append(b, hb.Status...)
	return append(b, "\"}\n"...), true
}

// plainJSON reports whether encoding/json writes s as itself in quotes.
func plainJSON(s string) bool {
	for _, c := range []byte(s) {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
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
