package store

import (
	"context"
	"database/sql"
	"slices"
)

// LatestLogs reads the newest n lines of a bot's log, by id descending on
// the (bot_id, id) index, and returns them oldest first, as a tail shows
// them.
func (s *db) LatestLogs(ctx context.Context, botID int64, n int) ([]LogEntry, error) {
	var out []LogEntry
	err := s.each(ctx, "SELECT "+logEntryCols+" FROM bot_logs WHERE bot_id = ? ORDER BY id DESC LIMIT ?",
		[]any{botID, limit(n)}, func(r *sql.Rows) error {
			var e LogEntry
			err := r.Scan(&e.ID, &e.BotID, &e.EntryID, timeCol{&e.Time}, &e.Level, &e.Message, rawCol{&e.Fields})
			out = append(out, e)
			return err
		})
	slices.Reverse(out)
	return out, err
}
