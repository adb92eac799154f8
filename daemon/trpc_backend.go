package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/store"
)

// trpcBackend answers the original bot images' tRPC protocol with the same
// services as the native agent API: one behaviour, two encodings.
type trpcBackend struct {
	s *Server
	// statusEvents holds the last status event a bot reported, whose
	// sub_code and description the following updateStatus call lacks.
	mu           sync.Mutex
	statusEvents map[int64]trpc.Event
}

var _ trpc.Backend = (*trpcBackend)(nil)

func (s *Server) mountTRPC() {
	b := &trpcBackend{s: s, statusEvents: map[int64]trpc.Event{}}
	s.botRoutes = trpc.Handler(b, trpc.Options{Logger: s.log.With("component", "trpc")})
}

// Authenticate accepts the per-bot token the daemon put in the bot's
// MILO_AUTH_TOKEN, or, when an operator configured one for a migration
// period, the shared token of the original server.
func (t *trpcBackend) Authenticate(ctx context.Context, token string) (trpc.Identity, error) {
	if shared := t.s.cfg.SharedBotToken; shared != "" && trpc.TokensEqual(token, shared) {
		return trpc.Identity{All: true}, nil
	}
	b, err := t.s.botByToken(ctx, token)
	if err != nil {
		return trpc.Identity{}, trpc.ErrUnauthorized
	}
	return trpc.Identity{BotID: b.ID}, nil
}

// bot loads the bot a call names; the handler has already checked that a
// per-bot identity names only its own bot.
func (t *trpcBackend) bot(ctx context.Context, botID int64) (store.Bot, error) {
	b, err := t.s.store.GetBot(ctx, botID)
	if isNotFound(err) {
		return b, fmt.Errorf("%w: Bot not found: %d", trpc.ErrNotFound, botID)
	}
	return b, err
}

// BotConfig refuses a bot that has finished or is leaving with
// PRECONDITION_FAILED, the text the bots' restart check looks for.
func (t *trpcBackend) BotConfig(ctx context.Context, id trpc.Identity, botID int64) (trpc.BotConfig, error) {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return trpc.BotConfig{}, err
	}
	cfg, err := t.s.agentConfig(b)
	if err != nil {
		return trpc.BotConfig{}, fmt.Errorf("%w: Bot %d has already finished (status: %s). container should exit", trpc.ErrPreconditionFailed, b.ID, b.Status)
	}
	out := trpc.BotConfig{
		ID: b.ID, UserID: strconv.FormatInt(b.UserID, 10), StartTime: cfg.StartTime, EndTime: cfg.EndTime, DisplayName: b.DisplayName,
		RecordingEnabled: b.RecordingEnabled, AutomaticLeave: trpc.AutomaticLeave(cfg.AutomaticLeave),
		Meeting: trpc.Meeting{MeetingID: b.Meeting.MeetingID, MeetingPassword: b.Meeting.Password, MeetingURL: b.Meeting.URL,
			OrganizerID: b.Meeting.OrganizerID, TenantID: b.Meeting.TenantID, MessageID: b.Meeting.MessageID, ThreadID: b.Meeting.ThreadID, Platform: b.Meeting.Platform},
	}
	if b.ImageURL != "" {
		out.ImageURL = &b.ImageURL
	}
	if b.CallbackURL != "" {
		out.CallbackURL = &b.CallbackURL
	}
	return out, nil
}

// SlotConfig: this daemon runs no Coolify pool, so no slot exists.
func (t *trpcBackend) SlotConfig(ctx context.Context, id trpc.Identity, slotUUID string) (trpc.BotConfig, error) {
	return trpc.BotConfig{}, fmt.Errorf("%w: no pool slot %s", trpc.ErrNotFound, slotUUID)
}

// Heartbeat never fails for a known bot: bots heartbeat until they exit,
// and a finished bot is told to leave.
func (t *trpcBackend) Heartbeat(ctx context.Context, id trpc.Identity, botID int64) (trpc.Heartbeat, error) {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return trpc.Heartbeat{ShouldLeave: true}, nil
	}
	hb := t.s.agentHeartbeat(b)
	return trpc.Heartbeat{ShouldLeave: hb.ShouldLeave, LogLevel: &hb.LogLevel}, nil
}

// ReportEvent stores an event. A status event is held back: the bot sends
// updateStatus right after it, which records the status with this event's
// sub code and description (one event per status, not two).
func (t *trpcBackend) ReportEvent(ctx context.Context, id trpc.Identity, botID int64, ev trpc.Event) error {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return err
	}
	if st := api.BotStatus(ev.Type); st.Valid() && st != api.StatusLeaving {
		t.mu.Lock()
		t.statusEvents[botID] = ev
		t.mu.Unlock()
		return nil
	}
	var data json.RawMessage
	if ev.Data != nil {
		data, _ = json.Marshal(ev.Data)
	}
	_, err = t.s.agentEvents(ctx, b, []api.AgentEvent{{Type: ev.Type, Time: ev.Time, Data: data}})
	return asTRPCError(err)
}

// UpdateStatus applies a reported status. One the transition table refuses
// (a step back after a restart, a late report after the end) is ignored:
// the bot could not act on an error.
func (t *trpcBackend) UpdateStatus(ctx context.Context, id trpc.Identity, botID int64, u trpc.StatusUpdate) error {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return err
	}
	req := api.AgentStatusRequest{Status: u.Status}
	t.mu.Lock()
	if ev, ok := t.statusEvents[botID]; ok && ev.Type == string(u.Status) && ev.Data != nil {
		req.SubCode, req.Description = deref(ev.Data.SubCode), deref(ev.Data.Description)
	}
	delete(t.statusEvents, botID)
	t.mu.Unlock()
	if u.Recording != nil {
		req.Recording = *u.Recording
	}
	if len(u.SpeakerTimeframes) > 0 {
		req.SpeakerTimeframes, _ = json.Marshal(u.SpeakerTimeframes)
	}
	_, err = t.s.agentStatus(ctx, b, req)
	var pe *problemError
	if errors.As(err, &pe) && pe.code == api.CodeInvalidTransition {
		return nil
	}
	return asTRPCError(err)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (t *trpcBackend) DequeueChat(ctx context.Context, id trpc.Identity, botID int64) (*trpc.ChatMessage, error) {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return nil, err
	}
	m, err := t.s.agentDequeue(ctx, b)
	if err != nil || m == nil {
		return nil, err
	}
	return &trpc.ChatMessage{MessageText: m.Text, TemplateID: m.TemplateID, UserID: strconv.FormatInt(b.UserID, 10)}, nil
}

// AppendLogs stores streamed lines. Lines from a bot long finished are
// dropped, not refused: a refused batch is resent by the bot forever.
func (t *trpcBackend) AppendLogs(ctx context.Context, id trpc.Identity, botID int64, entries []trpc.LogEntry) (int, error) {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return 0, err
	}
	in := make([]api.AgentLogEntry, 0, len(entries))
	for _, e := range entries {
		fields, _ := json.Marshal(map[string]any{"state": e.State, "location": e.Location, "context": e.Context, "elapsed": e.Elapsed})
		in = append(in, api.AgentLogEntry{ID: e.ID, Time: e.Timestamp, Level: strings.ToUpper(e.Level), Message: e.Message, Fields: fields})
	}
	acc, err := t.s.agentLogs(ctx, b, in)
	if isGone(err) {
		return 0, nil
	}
	return acc.Accepted, asTRPCError(err)
}

// FlushLogs has nothing to do: every accepted line is already stored.
func (t *trpcBackend) FlushLogs(ctx context.Context, id trpc.Identity, botID int64) error {
	_, err := t.bot(ctx, botID)
	return err
}

func (t *trpcBackend) SaveScreenshot(ctx context.Context, id trpc.Identity, botID int64, up trpc.ScreenshotUpload) (trpc.ScreenshotInfo, error) {
	b, err := t.bot(ctx, botID)
	if err != nil {
		return trpc.ScreenshotInfo{}, err
	}
	sc, err := t.s.saveScreenshot(ctx, b, screenshotUpload{Type: up.Type, State: up.State, Trigger: up.Trigger, Data: up.Data})
	if err != nil {
		return trpc.ScreenshotInfo{}, asTRPCError(err)
	}
	return trpc.ScreenshotInfo{Key: sc.Key, CapturedAt: sc.CapturedAt, Type: sc.Type, State: sc.State, Trigger: sc.Trigger}, nil
}

// asTRPCError classifies the services' problems for the tRPC encoding.
func asTRPCError(err error) error {
	var pe *problemError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	switch {
	case pe.status == 410:
		return fmt.Errorf("%w: %s", trpc.ErrPreconditionFailed, pe.detail)
	case pe.status == 404:
		return fmt.Errorf("%w: %s", trpc.ErrNotFound, pe.detail)
	case pe.status == 409:
		return fmt.Errorf("%w: %s", trpc.ErrConflict, pe.detail)
	case pe.status < 500:
		msg := pe.detail
		for _, f := range pe.fields {
			msg += "; " + f.Field + ": " + f.Message
		}
		return fmt.Errorf("%w: %s", trpc.ErrBadRequest, msg)
	}
	return err
}
