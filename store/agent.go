package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"
)

// SetBotToken stores the hash of a bot's agent token; a hash already in use
// is ErrConflict.
func (s *db) SetBotToken(ctx context.Context, botID int64, hash string) error {
	n, err := s.exec(ctx, "UPDATE bots SET agent_token_hash = ? WHERE id = ?", nullStr(hash), botID)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	if err == nil {
		s.touch(botID)
	}
	return err
}

const botStateCols = "id, user_id, status, log_level, recording_enabled, ended_at"

// BotStateByToken reads a bot's state by its agent token hash: the read
// of every bot-facing call, so it selects only what those calls need.
func (s *db) BotStateByToken(ctx context.Context, hash string) (BotState, error) {
	if hash == "" {
		return BotState{}, ErrNotFound
	}
	return s.botState(ctx, "agent_token_hash = ?", hash)
}

// BotState reads a bot's state by id.
func (s *db) BotState(ctx context.Context, id int64) (BotState, error) {
	return s.botState(ctx, "id = ?", id)
}

func (s *db) botState(ctx context.Context, where string, arg any) (BotState, error) {
	var b BotState
	err := s.get(ctx, "SELECT "+botStateCols+" FROM bots WHERE "+where, []any{arg},
		&b.ID, &b.UserID, &b.Status, &b.LogLevel, &b.RecordingEnabled, nullTimeCol{&b.EndedAt})
	return b, err
}

// RecordHeartbeats stores many bots' last heartbeat in one transaction; a
// late, older beat never moves the time back.
func (s *db) RecordHeartbeats(ctx context.Context, beats map[int64]time.Time) error {
	return s.batchTimes(ctx, "bots", "last_heartbeat_at", beats)
}

const logEntryCols = "id, bot_id, entry_id, logged_at, level, message, fields"

// InsertLogs writes log entries with multi-row inserts; an entry whose
// (bot, entry id) is stored already is skipped, so a bot may resend a batch.
// The lines stored, with their ids, go to the change feed as one change
// per bot.
func (s *db) InsertLogs(ctx context.Context, entries []LogEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.tx(ctx, func(t *db) error {
		var stored []LogEntry
		err := t.insertReturning(ctx, "INSERT INTO bot_logs ("+logEntryCols[4:]+") VALUES ", 6, len(entries),
			" ON CONFLICT (bot_id, entry_id) DO NOTHING RETURNING "+logEntryCols, func(i int) []any {
				e := entries[i]
				return []any{e.BotID, e.EntryID, t.d.at(e.Time), e.Level, e.Message, rawArg(e.Fields)}
			}, func(r *sql.Rows) error {
				var e LogEntry
				err := scanLog(r, &e)
				stored = append(stored, e)
				return err
			})
		if err != nil {
			return err
		}
		return t.logsChanged(ctx, stored)
	})
}

// logsChanged records stored lines in the change feed, one change per bot
// with its lines in id order.
func (s *db) logsChanged(ctx context.Context, stored []LogEntry) error {
	slices.SortFunc(stored, func(a, b LogEntry) int { return cmp.Compare(a.ID, b.ID) })
	bots := distinctBots(stored, func(e LogEntry) int64 { return e.BotID })
	owners, err := s.owners(ctx, bots)
	if err != nil {
		return err
	}
	for _, id := range bots {
		lines := slices.DeleteFunc(slices.Clone(stored), func(e LogEntry) bool { return e.BotID != id })
		if err := s.recordChange(ChangeLogs, owners[id], id, lines); err != nil {
			return err
		}
	}
	return nil
}

func scanLog(r interface{ Scan(...any) error }, e *LogEntry) error {
	return r.Scan(&e.ID, &e.BotID, &e.EntryID, timeCol{&e.Time}, &e.Level, &e.Message, rawCol{&e.Fields})
}

// ListLogs pages a bot's log in the order it was stored.
func (s *db) ListLogs(ctx context.Context, botID int64, p Page) ([]LogEntry, error) {
	var out []LogEntry
	err := s.each(ctx, "SELECT "+logEntryCols+" FROM bot_logs WHERE bot_id = ? AND id > ? ORDER BY id LIMIT ?",
		[]any{botID, p.AfterID, limit(p.Limit)}, func(r *sql.Rows) error {
			var e LogEntry
			err := scanLog(r, &e)
			out = append(out, e)
			return err
		})
	return out, err
}

const shotCols = "id, bot_id, blob_key, shot_type, state, capture_trigger, size, captured_at"

func scanShot(r interface{ Scan(...any) error }, x *Screenshot) error {
	return r.Scan(&x.ID, &x.BotID, &x.Key, &x.Type, &x.State, &x.Trigger, &x.Size, timeCol{&x.CapturedAt})
}

// InsertScreenshot records an uploaded screenshot.
func (s *db) InsertScreenshot(ctx context.Context, x Screenshot) (Screenshot, error) {
	var out Screenshot
	err := mapErr(scanShot(s.ex.QueryRowContext(ctx, s.d.rebind("INSERT INTO bot_screenshots ("+shotCols[4:]+
		") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "+shotCols),
		x.BotID, x.Key, x.Type, x.State, x.Trigger, x.Size, s.d.at(x.CapturedAt)), &out))
	return out, err
}

// ListScreenshots pages a bot's screenshots in the order they were stored.
func (s *db) ListScreenshots(ctx context.Context, botID int64, p Page) ([]Screenshot, error) {
	var out []Screenshot
	err := s.each(ctx, "SELECT "+shotCols+" FROM bot_screenshots WHERE bot_id = ? AND id > ? ORDER BY id LIMIT ?",
		[]any{botID, p.AfterID, limit(p.Limit)}, func(r *sql.Rows) error {
			var x Screenshot
			err := scanShot(r, &x)
			out = append(out, x)
			return err
		})
	return out, err
}
