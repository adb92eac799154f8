// Package trpcapi answers the original Meeboter bot images' tRPC protocol
// (package trpc decodes it) with the agent service, so those images run
// unchanged: one behaviour, two encodings.
package trpcapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/trpc"
)

// Backend implements trpc.Backend over the agent service.
type Backend struct {
	agent *agent.Service
	// shared is the original server's shared MILO_AUTH_TOKEN, accepted
	// from bots only when an operator sets one for a migration period.
	shared string
}

var _ trpc.Backend = (*Backend)(nil)

// Handler returns the protocol's HTTP handler, for /api/; obs, when set,
// hears the duration of every call.
func Handler(svc *agent.Service, sharedToken string, log *slog.Logger, obs Observer) http.Handler {
	return timed(trpc.Handler(&Backend{agent: svc, shared: sharedToken}, trpc.Options{Logger: log}), obs)
}

// Authenticate accepts the per-bot token the daemon put in the bot's
// MILO_AUTH_TOKEN, or the configured shared token. The bot's state is
// the heartbeat's (from memory when the daemon caches states); the other
// calls, which act on it, read it afresh with the token (see bot).
func (t *Backend) Authenticate(ctx context.Context, token string) (trpc.Identity, error) {
	if t.shared != "" && trpc.TokensEqual(token, t.shared) {
		return trpc.Identity{All: true}, nil
	}
	if agent.IsSlotToken(token) {
		x, err := t.agent.AuthenticateSlot(ctx, token)
		if err != nil {
			return trpc.Identity{}, trpcError(err)
		}
		return trpc.Identity{SlotUUID: x.ApplicationUUID, State: x}, nil
	}
	st, err := t.agent.AuthenticateBeat(ctx, token)
	if err != nil {
		return trpc.Identity{}, trpcError(err)
	}
	return trpc.Identity{BotID: st.ID, State: &beatState{st: st, token: token}}, nil
}

// beatState is the state a per-bot identity was authenticated with, kept
// with its token for the calls that need a fresh read.
type beatState struct {
	st    store.BotState
	token string
	fresh bool // st was read from the database by this request
}

// bot is the state of the bot a call names, read from the database: the
// identity's token read again when its state may have come from memory
// (once per request), or (for the shared token, which may name any bot)
// by id. The handler has already checked that a per-bot identity names
// only its own bot.
func (t *Backend) bot(ctx context.Context, id trpc.Identity, botID int64) (store.BotState, error) {
	if x, ok := id.State.(store.PoolSlot); ok {
		// A slot's token speaks for the bot the slot runs now, only.
		return t.agent.SlotBotFor(ctx, x, botID)
	}
	bs, ok := id.State.(*beatState)
	if !ok || bs.st.ID != botID {
		return t.agent.Bot(ctx, botID)
	}
	if !bs.fresh {
		st, err := t.agent.Authenticate(ctx, bs.token)
		if err != nil {
			return st, err
		}
		bs.st, bs.fresh = st, true
	}
	return bs.st, nil
}

// beatBot is the state a heartbeat answers from: the identity's own.
func (t *Backend) beatBot(ctx context.Context, id trpc.Identity, botID int64) (store.BotState, error) {
	if bs, ok := id.State.(*beatState); ok && bs.st.ID == botID {
		return bs.st, nil
	}
	if x, ok := id.State.(store.PoolSlot); ok {
		// A slot's token speaks for the bot the slot runs now, only.
		return t.agent.SlotBotFor(ctx, x, botID)
	}
	return t.agent.Bot(ctx, botID)
}

// BotConfig refuses a bot that has finished or is leaving with
// PRECONDITION_FAILED, the text the bots' restart check looks for.
func (t *Backend) BotConfig(ctx context.Context, id trpc.Identity, botID int64) (trpc.BotConfig, error) {
	st, err := t.bot(ctx, id, botID)
	if err != nil {
		return trpc.BotConfig{}, trpcError(err)
	}
	cfg, err := t.agent.Config(ctx, st)
	if err != nil {
		return trpc.BotConfig{}, trpcError(err)
	}
	return botConfig(cfg), nil
}

func botConfig(cfg agent.BotConfig) trpc.BotConfig {
	b := cfg.Bot
	m := b.Meeting
	out := trpc.BotConfig{
		ID: b.ID, UserID: strconv.FormatInt(b.UserID, 10), StartTime: cfg.Start, EndTime: cfg.End, DisplayName: b.DisplayName,
		RecordingEnabled: b.RecordingEnabled, AutomaticLeave: trpc.AutomaticLeave(b.AutomaticLeave),
		Meeting: trpc.Meeting{MeetingID: m.MeetingID, MeetingPassword: m.Password, MeetingURL: m.URL,
			OrganizerID: m.OrganizerID, TenantID: m.TenantID, MessageID: m.MessageID, ThreadID: m.ThreadID, Platform: m.Platform},
	}
	if b.ImageURL != "" {
		out.ImageURL = &b.ImageURL
	}
	if b.CallbackURL != "" {
		out.CallbackURL = &b.CallbackURL
	}
	return out
}

// SlotConfig answers a slot's container with the config of the bot the
// slot runs: NOT_FOUND when it runs none, PRECONDITION_FAILED when that bot
// has ended or is leaving, so a container Docker restarted exits. Only the
// slot's own token reaches here (or the shared one, which names any slot).
func (t *Backend) SlotConfig(ctx context.Context, id trpc.Identity, slotUUID string) (trpc.BotConfig, error) {
	x, ok := id.State.(store.PoolSlot)
	if !ok || x.ApplicationUUID != slotUUID {
		var err error
		if x, err = t.agent.SlotByApp(ctx, slotUUID); err != nil {
			return trpc.BotConfig{}, trpcError(err)
		}
	}
	st, err := t.agent.SlotBot(ctx, x)
	if err != nil {
		return trpc.BotConfig{}, trpcError(err)
	}
	cfg, err := t.agent.Config(ctx, st)
	if err != nil {
		return trpc.BotConfig{}, trpcError(err)
	}
	return botConfig(cfg), nil
}

// Heartbeat tells a bot to leave only when it really has to: it was asked
// to, or it has ended (or no longer exists). A failure to tell is an
// INTERNAL_SERVER_ERROR, which the bots retry; it never reads as "leave",
// so a database outage cannot empty every call at once.
func (t *Backend) Heartbeat(ctx context.Context, id trpc.Identity, botID int64) (trpc.Heartbeat, error) {
	st, err := t.beatBot(ctx, id, botID)
	if errors.Is(err, store.ErrNotFound) {
		return trpc.Heartbeat{ShouldLeave: true}, nil
	}
	if err != nil {
		return trpc.Heartbeat{}, trpcError(err)
	}
	hb := t.agent.Heartbeat(st)
	return trpc.Heartbeat{ShouldLeave: hb.ShouldLeave, LogLevel: &hb.LogLevel}, nil
}

// ReportEvent stores an event. A status event (IN_CALL, FATAL, ...) is
// applied as the status change itself, with its sub code and description:
// the updateStatus the bot sends right after it, to this daemon or any
// other, then finds the bot already there and changes nothing. Nothing is
// held between the two calls, so they may reach different replicas.
func (t *Backend) ReportEvent(ctx context.Context, id trpc.Identity, botID int64, ev trpc.Event) error {
	st, err := t.bot(ctx, id, botID)
	if err != nil {
		return trpcError(err)
	}
	if status := api.BotStatus(ev.Type); status.Valid() && status != api.StatusLeaving {
		req := api.AgentStatusRequest{Status: status}
		if ev.Data != nil {
			req.SubCode, req.Description = deref(ev.Data.SubCode), deref(ev.Data.Description)
		}
		return t.applyStatus(ctx, st, req)
	}
	var data json.RawMessage
	if ev.Data != nil {
		data, _ = json.Marshal(ev.Data)
	}
	_, err = t.agent.Events(ctx, st, []api.AgentEvent{{Type: ev.Type, Time: ev.Time, Data: data}})
	return trpcError(err)
}

// UpdateStatus applies a reported status, with the recording and speaker
// timeframes DONE carries.
func (t *Backend) UpdateStatus(ctx context.Context, id trpc.Identity, botID int64, u trpc.StatusUpdate) error {
	st, err := t.bot(ctx, id, botID)
	if err != nil {
		return trpcError(err)
	}
	req := api.AgentStatusRequest{Status: u.Status}
	if u.Recording != nil {
		req.Recording = *u.Recording
	}
	if len(u.SpeakerTimeframes) > 0 {
		req.SpeakerTimeframes, _ = json.Marshal(u.SpeakerTimeframes)
	}
	return t.applyStatus(ctx, st, req)
}

// applyStatus reports a status. One the transition table refuses (the
// same status again, a step back after a restart, a late report after the
// end) is ignored: the bot could not act on an error.
func (t *Backend) applyStatus(ctx context.Context, st store.BotState, req api.AgentStatusRequest) error {
	if req.Status == st.Status {
		return nil
	}
	_, err := t.agent.Status(ctx, st, req)
	if domain.IsTransition(err) {
		return nil
	}
	return trpcError(err)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// DequeueChat pops the bot's next chat message.
func (t *Backend) DequeueChat(ctx context.Context, id trpc.Identity, botID int64) (*trpc.ChatMessage, error) {
	st, err := t.bot(ctx, id, botID)
	if err != nil {
		return nil, trpcError(err)
	}
	m, err := t.agent.Dequeue(ctx, st)
	if err != nil || m == nil {
		return nil, trpcError(err)
	}
	return &trpc.ChatMessage{MessageText: m.Text, TemplateID: m.TemplateID, UserID: strconv.FormatInt(st.UserID, 10)}, nil
}

// AppendLogs stores streamed lines. Lines from a bot long finished are
// dropped, not refused: a refused batch is resent by the bot forever.
func (t *Backend) AppendLogs(ctx context.Context, id trpc.Identity, botID int64, entries []trpc.LogEntry) (int, error) {
	st, err := t.bot(ctx, id, botID)
	if errors.Is(err, agent.ErrNotAssigned) {
		return 0, nil // the last lines of a slot's bot already released
	}
	if err != nil {
		return 0, trpcError(err)
	}
	in := make([]api.AgentLogEntry, 0, len(entries))
	for _, e := range entries {
		fields, _ := json.Marshal(map[string]any{"state": e.State, "location": e.Location, "context": e.Context, "elapsed": e.Elapsed})
		in = append(in, api.AgentLogEntry{ID: e.ID, Time: e.Timestamp, Level: strings.ToUpper(e.Level), Message: e.Message, Fields: fields})
	}
	n, err := t.agent.Logs(ctx, st, in)
	if domain.IsEnded(err) {
		return 0, nil
	}
	return n, trpcError(err)
}

// FlushLogs has nothing to do: every accepted line is already stored.
func (t *Backend) FlushLogs(ctx context.Context, id trpc.Identity, botID int64) error {
	_, err := t.bot(ctx, id, botID)
	return trpcError(err)
}

// SaveScreenshot stores one uploaded screenshot.
func (t *Backend) SaveScreenshot(ctx context.Context, id trpc.Identity, botID int64, up trpc.ScreenshotUpload) (trpc.ScreenshotInfo, error) {
	st, err := t.bot(ctx, id, botID)
	if err != nil {
		return trpc.ScreenshotInfo{}, trpcError(err)
	}
	sc, err := t.agent.SaveScreenshot(ctx, st, agent.Screenshot{Type: up.Type, State: up.State, Trigger: up.Trigger, Data: up.Data})
	if err != nil {
		return trpc.ScreenshotInfo{}, trpcError(err)
	}
	return trpc.ScreenshotInfo{Key: sc.Key, CapturedAt: sc.CapturedAt, Type: sc.Type, State: sc.State, Trigger: sc.Trigger}, nil
}
