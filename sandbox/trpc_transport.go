package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/trpcclient"
)

// eventsPerRequest bounds the events.report calls batched in one POST,
// well under the servers' cap on calls per batch.
const eventsPerRequest = 32

// trpcTransport speaks the tRPC protocol of the existing bot images, call
// for call as they do, so the sandbox can stand in for one of them against
// a Milo-compatible server (the daemon's /api/trpc included).
//
// The protocol is poorer than the native agent API in three ways the
// engine copes with: the config has no metadata (the scenario and timings
// come from flags only), heartbeats and status answers carry no status
// (the only way to stop the bot is shouldLeave, or the platform's
// SIGTERM), and chat messages have no id.
type trpcTransport struct {
	c       *trpcclient.Client
	botID   int64
	started time.Time // the origin of the log entries' "elapsed"
	states  *stateLog
}

// NewTRPCTransport returns the Transport of the tRPC bot protocol served at
// miloURL (the bots' MILO_URL: the server's origin), for bot botID, with
// the bot's MILO_AUTH_TOKEN. A nil client uses one with a 30 s timeout.
// The transport also implements LogFlusher.
func NewTRPCTransport(miloURL, token string, botID int64, client *http.Client) Transport {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &trpcTransport{
		c:       trpcclient.New(strings.TrimRight(miloURL, "/"), token, client),
		botID:   botID,
		started: time.Now(),
		states:  newStateLog(),
	}
}

// Config is bots.getConfig with the numeric bot id. A bot the server calls
// finished (PRECONDITION_FAILED) must exit without a word, which the
// error mapping turns into ErrGone.
func (t *trpcTransport) Config(ctx context.Context) (api.AgentConfig, error) {
	cfg, err := t.c.GetConfig(ctx, t.botID)
	if err != nil {
		return api.AgentConfig{}, t.fail(ctx, err)
	}
	return agentConfig(cfg), nil
}

// Heartbeat is bots.sendHeartbeat. The answer holds no status; since
// servers answer shouldLeave exactly when the bot is LEAVING, that is the
// one status it implies, and none is claimed otherwise: an empty status
// is one the engine neither obeys nor mistakes for the bot's end.
func (t *trpcTransport) Heartbeat(ctx context.Context) (api.AgentHeartbeat, error) {
	hb, err := t.c.SendHeartbeat(ctx, t.botID)
	if err != nil {
		return api.AgentHeartbeat{}, t.fail(ctx, err)
	}
	out := api.AgentHeartbeat{ShouldLeave: hb.ShouldLeave}
	if hb.LogLevel != nil {
		out.LogLevel = *hb.LogLevel
	}
	if hb.ShouldLeave {
		out.Status = api.StatusLeaving
	}
	return out, nil
}

// Status is bots.updateStatus. The real bots precede it with an
// events.report of the same code, and so does the engine, through Events,
// just before each status but DONE (for which the bots report no event
// either): sending the event here as well would record it twice. FATAL's
// sub code and description travel in that event, as with the bots; the
// update itself has room for neither. The answer carries nothing the bot
// acts on.
//
// A CONFLICT can only mean the server refused the status, so it is
// reported as api.ErrInvalidTransition, which the engine tolerates.
func (t *trpcTransport) Status(ctx context.Context, req api.AgentStatusRequest) (api.AgentHeartbeat, error) {
	u, err := statusUpdate(req)
	if err != nil {
		return api.AgentHeartbeat{}, err
	}
	t.states.enter(req.Status)
	err = t.c.UpdateStatus(ctx, t.botID, u)
	if errors.Is(err, trpc.ErrConflict) {
		return api.AgentHeartbeat{}, &api.Error{Problem: api.Problem{
			Status: http.StatusConflict, Title: http.StatusText(http.StatusConflict),
			Code: api.CodeInvalidTransition, Detail: err.Error(),
		}}
	}
	return api.AgentHeartbeat{}, t.fail(ctx, err)
}

// Events sends one events.report per event, batched in one POST as the
// bots' client does with calls made in the same tick. One failed call
// fails the whole lot: the engine's retry may then repeat events the
// server took, which costs less than losing them.
func (t *trpcTransport) Events(ctx context.Context, events []api.AgentEvent) error {
	for start := 0; start < len(events); start += eventsPerRequest {
		if err := t.reportEvents(ctx, events[start:min(start+eventsPerRequest, len(events))]); err != nil {
			return err
		}
	}
	return nil
}

func (t *trpcTransport) reportEvents(ctx context.Context, events []api.AgentEvent) error {
	b := t.c.Batch()
	results := make([]*trpcclient.Result[trpcclient.Void], len(events))
	for i, ev := range events {
		results[i] = b.ReportEvent(t.botID, trpc.Event{Type: ev.Type, Time: ev.Time, Data: eventData(ev.Data)})
	}
	if err := b.Do(ctx); err != nil {
		return t.fail(ctx, err)
	}
	for _, r := range results {
		if err := r.Err(); err != nil {
			return t.fail(ctx, err)
		}
	}
	return nil
}

// Logs is bots.logs.stream, with entries shaped as the bots' own.
func (t *trpcTransport) Logs(ctx context.Context, entries []api.AgentLogEntry) error {
	out := make([]trpc.LogEntry, len(entries))
	for i, e := range entries {
		out[i] = t.logEntry(e)
	}
	_, err := t.c.StreamLogs(ctx, t.botID, out)
	return t.fail(ctx, err)
}

// FlushLogs is bots.logs.flush, which tells the server to archive the
// bot's logs; the engine calls it once, after the last Logs.
func (t *trpcTransport) FlushLogs(ctx context.Context) error {
	return t.fail(ctx, t.c.FlushLogs(ctx, t.botID))
}

// DequeueChat is bots.chat.dequeueMessage. A message without text is
// skipped, as the bots skip it; messages have no id in this protocol.
func (t *trpcTransport) DequeueChat(ctx context.Context) (*api.AgentChatMessage, error) {
	msg, err := t.c.DequeueChat(ctx, t.botID)
	if err != nil || msg == nil || msg.MessageText == "" {
		return nil, t.fail(ctx, err)
	}
	return &api.AgentChatMessage{Text: msg.MessageText, TemplateID: msg.TemplateID}, nil
}

// Screenshot is the multipart upload to /api/bots/{id}/screenshots.
func (t *trpcTransport) Screenshot(ctx context.Context, s Screenshot) error {
	up := trpc.ScreenshotUpload{Data: s.PNG, Type: s.Type, State: s.State, Trigger: s.Trigger}
	_, err := t.c.UploadScreenshot(ctx, t.botID, up)
	return t.fail(ctx, err)
}

// logEntry fills the fields the bots send and the native entry lacks: the
// bot id, the emitter state when the line was logged, and the time since
// start. The sandbox has no source locations to give, which the protocol
// writes "unknown".
func (t *trpcTransport) logEntry(e api.AgentLogEntry) trpc.LogEntry {
	return trpc.LogEntry{
		ID: e.ID, BotID: t.botID, Timestamp: e.Time, Level: e.Level, Message: e.Message,
		State: t.states.at(e.Time), Location: "unknown", Context: e.Fields,
		Elapsed: "+" + max(e.Time.Sub(t.started), 0).Round(time.Second).String(),
	}
}

// fail turns a client error into the engine's vocabulary (see Transport).
// PRECONDITION_FAILED is the protocol's "this bot has finished, the
// container should exit", on whichever call it comes.
func (t *trpcTransport) fail(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var te *trpcclient.Error
	var ue *url.Error
	switch {
	case errors.As(err, &te):
		return serverError(te)
	case errors.As(err, &ue):
		return fmt.Errorf("%w: %v", api.ErrUnreachable, err)
	}
	return err // an answer the client could not read: retried, like a 5xx
}

// serverError maps an error answered by the server.
func serverError(te *trpcclient.Error) error {
	switch {
	case errors.Is(te, trpc.ErrPreconditionFailed):
		return fmt.Errorf("%w: %w", ErrGone, te)
	case errors.Is(te, trpc.ErrUnauthorized), errors.Is(te, trpc.ErrForbidden),
		te.HTTPStatus == http.StatusUnauthorized, te.HTTPStatus == http.StatusForbidden:
		return fmt.Errorf("%w: %w", ErrUnauthorized, te)
	}
	status := te.HTTPStatus
	if status == 0 {
		status = http.StatusInternalServerError
	}
	code, ok := trpcCodes[te.Code]
	if !ok {
		code = fallbackCode(status)
	}
	detail := te.Message
	if te.Path != "" {
		detail = te.Path + ": " + detail
	}
	return &api.Error{Problem: api.Problem{Status: status, Title: http.StatusText(status), Code: code, Detail: detail}}
}

// trpcCodes names tRPC error codes in the agent API's terms, so errors.Is
// against the api sentinels works whichever protocol the bot speaks.
var trpcCodes = map[string]string{
	"BAD_REQUEST":            api.CodeBadRequest,
	"PARSE_ERROR":            api.CodeBadRequest,
	"NOT_FOUND":              api.CodeNotFound,
	"CONFLICT":               api.CodeConflict,
	"TOO_MANY_REQUESTS":      api.CodeRateLimited,
	"PAYLOAD_TOO_LARGE":      api.CodePayloadTooLarge,
	"UNSUPPORTED_MEDIA_TYPE": api.CodeUnsupportedMedia,
	"METHOD_NOT_SUPPORTED":   api.CodeMethodNotAllowed,
	"INTERNAL_SERVER_ERROR":  api.CodeInternal,
}

// agentConfig maps the bots' config. It has no metadata and no log level:
// the scenario comes from flags, the level from heartbeats.
func agentConfig(c trpc.BotConfig) api.AgentConfig {
	userID, _ := strconv.ParseInt(c.UserID, 10, 64) // the engine never reads it
	out := api.AgentConfig{
		BotID: c.ID, UserID: userID, DisplayName: c.DisplayName,
		StartTime: c.StartTime, EndTime: c.EndTime, RecordingEnabled: c.RecordingEnabled,
		Meeting: api.Meeting{
			MeetingURL: c.Meeting.MeetingURL, Platform: c.Meeting.Platform,
			MeetingID: c.Meeting.MeetingID, MeetingPassword: c.Meeting.MeetingPassword,
			OrganizerID: c.Meeting.OrganizerID, TenantID: c.Meeting.TenantID,
			MessageID: c.Meeting.MessageID, ThreadID: c.Meeting.ThreadID,
		},
		AutomaticLeave: api.AutomaticLeave(c.AutomaticLeave),
	}
	if c.ImageURL != nil {
		out.ImageURL = *c.ImageURL
	}
	return out
}

// statusUpdate maps a status request; only DONE carries a recording and
// speaker timeframes.
func statusUpdate(req api.AgentStatusRequest) (trpc.StatusUpdate, error) {
	u := trpc.StatusUpdate{Status: req.Status}
	if req.Recording != "" {
		u.Recording = &req.Recording
	}
	if len(req.SpeakerTimeframes) > 0 {
		if err := json.Unmarshal(req.SpeakerTimeframes, &u.SpeakerTimeframes); err != nil {
			return u, fmt.Errorf("speaker timeframes: %w", err)
		}
	}
	return u, nil
}

// eventData maps an event's payload. The protocol's payload holds only a
// description and a sub code; any other payload (a participant's name and
// id) goes as its JSON text in the description, so the server still shows
// it.
func eventData(raw json.RawMessage) *trpc.EventData {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var fields struct {
		Description *string `json:"description"`
		SubCode     *string `json:"sub_code"`
	}
	if json.Unmarshal(raw, &fields) == nil && (fields.Description != nil || fields.SubCode != nil) {
		return &trpc.EventData{Description: fields.Description, SubCode: fields.SubCode}
	}
	text := string(raw)
	return &trpc.EventData{Description: &text}
}

// stateLog remembers when the bot entered each status, so a log entry,
// shipped later, is labelled with the state the bot was in when it was
// written, as the bots label theirs. Before the first status the bots'
// state is INITIALIZING.
type stateLog struct {
	mu      sync.Mutex
	changes []stateChange
}

type stateChange struct {
	at    time.Time
	state string
}

func newStateLog() *stateLog {
	return &stateLog{changes: []stateChange{{state: "INITIALIZING"}}}
}

func (s *stateLog) enter(status api.BotStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes = append(s.changes, stateChange{at: time.Now(), state: string(status)})
}

func (s *stateLog) at(t time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.changes) - 1; i > 0; i-- {
		if !t.Before(s.changes[i].at) {
			return s.changes[i].state
		}
	}
	return s.changes[0].state
}
