package daemon

import (
	"context"
	"encoding/json"
	"regexp"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

const (
	maxEventsPerCall = 100
	maxLogsPerCall   = 500
	maxLogMessage    = 8 << 10
	maxEventData     = 16 << 10
)

var eventType = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)

func statusEventData(req api.AgentStatusRequest) json.RawMessage {
	if req.SubCode == "" && req.Description == "" {
		return nil
	}
	data, _ := json.Marshal(map[string]string{"sub_code": req.SubCode, "description": req.Description})
	return data
}

// agentEvents stores a batch of events in one statement and acknowledges
// only after it is committed, so an acknowledged event is never lost. An
// event named after a status is skipped: the status report that follows
// it records one event per change, with its sub code.
func (s *Server) agentEvents(ctx context.Context, b store.Bot, in []api.AgentEvent) (api.Accepted, error) {
	if err := s.liveEnough(b); err != nil {
		return api.Accepted{}, err
	}
	v := &validator{}
	v.check(len(in) <= maxEventsPerCall, "events", "at most %d events per call", maxEventsPerCall)
	events := make([]store.Event, 0, len(in))
	for i, e := range in {
		field := "events[" + itoa(i) + "]"
		v.check(eventType.MatchString(e.Type), field+".type", "must be an UPPER_SNAKE_CASE event type")
		v.check(len(e.Data) <= maxEventData, field+".data", "must be at most %d bytes", maxEventData)
		v.check(len(e.Data) == 0 || json.Valid(e.Data), field+".data", "must be JSON")
		if st := api.BotStatus(e.Type); st.Valid() && st != api.StatusLeaving {
			continue // /v1/agent/status records status changes, with their event
		}
		t := e.Time
		if t.IsZero() {
			t = s.now()
		}
		events = append(events, store.Event{BotID: b.ID, Type: e.Type, Time: t.UTC(), Data: e.Data})
	}
	if err := v.err(); err != nil {
		return api.Accepted{}, err
	}
	if err := s.store.InsertEvents(ctx, events); err != nil {
		return api.Accepted{}, err
	}
	for _, e := range events {
		s.hub.publishEvent(b.UserID, e)
	}
	return api.Accepted{Accepted: len(in)}, nil
}

// agentLogs stores a batch of log lines in one statement; an entry id seen
// before is skipped, so a bot may safely resend after a timeout.
func (s *Server) agentLogs(ctx context.Context, b store.Bot, in []api.AgentLogEntry) (api.Accepted, error) {
	if err := s.liveEnough(b); err != nil {
		return api.Accepted{}, err
	}
	v := &validator{}
	v.check(len(in) <= maxLogsPerCall, "entries", "at most %d entries per call", maxLogsPerCall)
	entries := make([]store.LogEntry, 0, len(in))
	for i, e := range in {
		field := "entries[" + itoa(i) + "]"
		v.check(e.ID != "" && len(e.ID) <= 128, field+".id", "must be 1-128 bytes")
		v.check(logLevels[e.Level], field+".level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
		v.maxLen(e.Message, maxLogMessage, field+".message")
		v.check(len(e.Fields) == 0 || (len(e.Fields) <= maxEventData && json.Valid(e.Fields)), field+".fields", "must be JSON of at most %d bytes", maxEventData)
		t := e.Time
		if t.IsZero() {
			t = s.now()
		}
		entries = append(entries, store.LogEntry{BotID: b.ID, EntryID: e.ID, Time: t.UTC(), Level: e.Level, Message: e.Message, Fields: e.Fields})
	}
	if err := v.err(); err != nil {
		return api.Accepted{}, err
	}
	if err := s.store.InsertLogs(ctx, entries); err != nil {
		return api.Accepted{}, err
	}
	s.hub.publishLogs(entries)
	return api.Accepted{Accepted: len(entries)}, nil
}

// agentDequeue hands the bot its oldest queued chat message, or nil.
func (s *Server) agentDequeue(ctx context.Context, b store.Bot) (*api.AgentChatMessage, error) {
	if b.Status.Terminal() {
		return nil, nil
	}
	m, err := s.store.DequeueChat(ctx, b.ID, s.now())
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &api.AgentChatMessage{ID: m.ID, Text: m.Text, TemplateID: m.TemplateID}, nil
}
