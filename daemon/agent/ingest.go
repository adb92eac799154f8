package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Limits of one call. Bots batch their events and lines under these. The
// log limits match what the tRPC layer passes on (it truncates, as the
// original bots resend a refused batch for ever), so no batch it accepts
// is refused here: a longer message is truncated, not refused.
const (
	MaxEventsPerCall = 100
	MaxLogsPerCall   = 1000
	MaxLogMessage    = 32 << 10
	MaxLogEntryID    = 256
	maxEventData     = 16 << 10
)

// eventType is the pattern of an event type, at most 64 characters.
// The length is checked apart from the pattern: a counted repetition
// ({1,64}) compiles to one copy of its class per count, tens of KB built
// at every start.
var eventType = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// Events stores a batch of events in one statement and acknowledges only
// after it is committed, so an acknowledged event is never lost. An event
// named after a status is skipped: the status report records one event
// per change, with its sub code.
func (s *Service) Events(ctx context.Context, b store.BotState, in []api.AgentEvent) (int, error) {
	if err := s.liveEnough(b); err != nil {
		return 0, err
	}
	v := &domain.Validator{}
	v.Check(len(in) <= MaxEventsPerCall, "events", "at most %d events per call", MaxEventsPerCall)
	events := make([]store.Event, 0, len(in))
	for i, e := range in {
		field := domain.Index("events", i)
		v.Check(len(e.Type) <= 64 && eventType.MatchString(e.Type), field+".type", "must be an UPPER_SNAKE_CASE event type")
		v.Check(!e.Time.IsZero(), field+".time", "is required: when the event happened")
		v.Check(len(e.Data) <= maxEventData, field+".data", "must be at most %d bytes", maxEventData)
		v.Check(len(e.Data) == 0 || json.Valid(e.Data), field+".data", "must be JSON")
		if st := api.BotStatus(e.Type); st.Valid() && st != api.StatusLeaving {
			continue // Status records status changes, with their event
		}
		data, _ := domain.CleanJSON(e.Data) // not JSON: refused above
		events = append(events, store.Event{BotID: b.ID, Type: e.Type, Time: e.Time.UTC(), Data: data})
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if err := s.store.InsertEvents(ctx, events); err != nil {
		return 0, err
	}
	s.changed()
	return len(in), nil
}

// ValidLogLevel reports whether a log entry's level is one bots use.
func validLogLevel(l string) bool {
	switch l {
	case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL":
		return true
	}
	return false
}

// Logs stores a batch of log lines in one statement; an entry id seen
// before is skipped, so a bot may safely resend after a timeout.
func (s *Service) Logs(ctx context.Context, b store.BotState, in []api.AgentLogEntry) (int, error) {
	if err := s.liveEnough(b); err != nil {
		return 0, err
	}
	v := &domain.Validator{}
	v.Check(len(in) <= MaxLogsPerCall, "entries", "at most %d entries per call", MaxLogsPerCall)
	entries := make([]store.LogEntry, 0, len(in))
	for i, e := range in {
		field := domain.Index("entries", i)
		v.Check(e.ID != "" && len(e.ID) <= MaxLogEntryID, field+".id", "must be 1-%d bytes", MaxLogEntryID)
		v.Check(validLogLevel(e.Level), field+".level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
		v.Check(len(e.Fields) == 0 || (len(e.Fields) <= maxEventData && json.Valid(e.Fields)), field+".fields", "must be JSON of at most %d bytes", maxEventData)
		t := e.Time
		if t.IsZero() {
			t = s.now()
		}
		fields, _ := domain.CleanJSON(e.Fields) // not JSON: refused above
		entries = append(entries, store.LogEntry{BotID: b.ID, EntryID: domain.Clean(e.ID), Time: t.UTC(), Level: e.Level,
			Message: domain.Clean(truncate(e.Message, MaxLogMessage)), Fields: fields})
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if err := s.store.InsertLogs(ctx, entries); err != nil {
		return 0, err
	}
	s.changed()
	return len(entries), nil
}

// Dequeue hands the bot its oldest queued chat message, or nil.
func (s *Service) Dequeue(ctx context.Context, b store.BotState) (*store.ChatMessage, error) {
	if b.Status.Terminal() {
		return nil, nil
	}
	m, err := s.store.DequeueChat(ctx, b.ID, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// CaptureLine stores a line a bot process wrote as the bot's log: the
// local platform's sink. Lines are batched; each gets a unique entry id so
// none is dropped as a repeat.
func (s *Service) CaptureLine(botID int64, stream, line string) {
	level := "INFO"
	if stream == "stderr" {
		level = "WARN"
	}
	line = domain.Clean(truncate(line, MaxLogMessage))
	s.captured.Add(store.LogEntry{
		BotID: botID, EntryID: fmt.Sprintf("%s-%s-%d", s.cfg.Instance, stream, s.lineSeq.Add(1)),
		Time: s.now(), Level: level, Message: line, Fields: []byte(`{"source":"` + stream + `"}`),
	})
}

func (s *Service) writeCaptured(ctx context.Context, items []store.LogEntry) error {
	if err := s.store.InsertLogs(ctx, items); err != nil {
		return err
	}
	s.changed()
	return nil
}

// truncate cuts s to at most n bytes; a character cut in two is cleaned
// away by domain.Clean afterwards.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
