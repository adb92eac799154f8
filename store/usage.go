package store

import (
	"context"
	"database/sql"
	"time"
)

// CountBotsCreated counts a user's bots created in [from, to) with an index
// range count, never by loading rows (W46).
func (s *db) CountBotsCreated(ctx context.Context, userID int64, from, to time.Time) (int, error) {
	return s.count(ctx, "SELECT count(*) FROM bots WHERE user_id = ? AND created_at >= ? AND created_at < ?",
		userID, s.d.at(from), s.d.at(to))
}

// BotSpans returns a user's bots created in [from, to) or running during it.
func (s *db) BotSpans(ctx context.Context, userID int64, from, to time.Time) ([]BotSpan, error) {
	f, t := s.d.at(from), s.d.at(to)
	var out []BotSpan
	err := s.each(ctx, "SELECT id, created_at, deploy_started_at, ended_at, status, COALESCE(deployment_platform, '') FROM bots WHERE user_id = ? AND "+
		"((created_at >= ? AND created_at < ?) OR (deploy_started_at < ? AND (ended_at IS NULL OR ended_at >= ?))) ORDER BY id",
		[]any{userID, f, t, t, f}, func(r *sql.Rows) error {
			var sp BotSpan
			err := r.Scan(&sp.BotID, timeCol{&sp.CreatedAt}, nullTimeCol{&sp.StartedAt}, nullTimeCol{&sp.EndedAt}, &sp.Status, &sp.Platform)
			out = append(out, sp)
			return err
		})
	return out, err
}
