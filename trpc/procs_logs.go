package trpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// streamInput is bots.logs.stream's input.
type streamInput struct {
	BotID   wireID          `json:"botId"`
	Entries []logEntryInput `json:"entries"`
}

// logEntryInput is a LogEntry as sent: botId is a number here, and may be
// missing (it then defaults to the call's bot).
type logEntryInput struct {
	ID        string          `json:"id"`
	BotID     wireID          `json:"botId"`
	Timestamp time.Time       `json:"timestamp"`
	Level     string          `json:"level"`
	Message   string          `json:"message"`
	State     string          `json:"state"`
	Location  string          `json:"location"`
	Context   json.RawMessage `json:"context"`
	Elapsed   string          `json:"elapsed"`
}

func (in streamInput) validate() error {
	if err := requireID("botId", in.BotID); err != nil {
		return err
	}
	if in.Entries == nil {
		return errors.New("entries is required")
	}
	if len(in.Entries) > maxLogEntries {
		return fmt.Errorf("entries: more than %d", maxLogEntries)
	}
	for i, e := range in.Entries {
		if err := e.validate(in.BotID); err != nil {
			return fmt.Errorf("entries.%d.%w", i, err)
		}
	}
	return nil
}

// validate refuses only what cannot be stored; long text is truncated in
// entry(), because the bots re-send a refused batch again and again.
func (e logEntryInput) validate(botID wireID) error {
	if e.BotID != 0 && e.BotID != botID {
		return errors.New("botId: does not match the call's botId")
	}
	if e.Timestamp.IsZero() {
		return errors.New("timestamp: required")
	}
	return oneOf("level", strings.ToUpper(e.Level), logLevels)
}

// entry converts a validated entry, bounding its free text. A context over
// the limit (or null) is dropped.
func (e logEntryInput) entry(botID int64) LogEntry {
	ctx := e.Context
	if len(ctx) > maxLogContext || bytes.Equal(ctx, []byte("null")) {
		ctx = nil
	}
	return LogEntry{
		ID:        truncate(e.ID, maxShortText),
		BotID:     botID,
		Timestamp: e.Timestamp,
		Level:     strings.ToUpper(e.Level),
		Message:   truncate(e.Message, maxLogMessage),
		State:     truncate(e.State, maxShortText),
		Location:  truncate(e.Location, maxShortText),
		Context:   ctx,
		Elapsed:   truncate(e.Elapsed, maxShortText),
	}
}

// received is bots.logs.stream's output.
type received struct {
	Received int `json:"received"`
}

func streamLogs(ctx context.Context, s *server, id Identity, in streamInput) (any, error) {
	botID := int64(in.BotID)
	if err := authorizeBot(id, botID); err != nil {
		return nil, err
	}
	if len(in.Entries) == 0 {
		return received{}, nil
	}
	entries := make([]LogEntry, len(in.Entries))
	for i, e := range in.Entries {
		entries[i] = e.entry(botID)
	}
	n, err := s.backend.AppendLogs(ctx, id, botID, entries)
	return received{Received: n}, err
}

// success is bots.logs.flush's output.
type success struct {
	Success bool `json:"success"`
}

func flushLogs(ctx context.Context, s *server, id Identity, in botIDInput) (any, error) {
	if err := authorizeBot(id, int64(in.BotID)); err != nil {
		return nil, err
	}
	return success{Success: true}, s.backend.FlushLogs(ctx, id, int64(in.BotID))
}
