package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LogBacklogQuery selects the bots whose database log rows are due for the
// archive (see LogArchive.LogBacklog).
type LogBacklogQuery struct {
	// MinRows makes a running bot due once it has this many rows.
	MinRows int
	// OlderThan makes a running bot due once a row was logged before it.
	OlderThan time.Time
	Limit     int // 0: 100
}

// LogBacklog is one bot with log rows in the database.
type LogBacklog struct {
	BotID int64
	Rows  int
	Ended bool
}

// Purge kinds, the things retention removes of an ended bot.
const (
	PurgeLogs        = "logs"
	PurgeScreenshots = "screenshots"
)

// purgeColumns maps a purge kind to its column in bot_purges; nothing
// else reaches the SQL.
var purgeColumns = map[string]string{PurgeLogs: "logs_at", PurgeScreenshots: "screenshots_at"}

// PurgeQuery selects ended bots whose Kind retention has not yet removed.
type PurgeQuery struct {
	Kind        string // PurgeLogs or PurgeScreenshots
	EndedBefore time.Time
	AfterID     int64
	Limit       int // 0: 100
}

// maxArchiveRows bounds one LogsToArchive call: the archive's largest
// chunk.
const maxArchiveRows = 50_000

// LogBacklog lists bots that have log rows in the database and are due
// for archiving: every ended bot, and running bots with at least MinRows
// rows or a row logged before OlderThan; by bot id.
func (s *db) LogBacklog(ctx context.Context, q LogBacklogQuery) ([]LogBacklog, error) {
	n := q.Limit
	if n <= 0 {
		n = 100
	}
	minRows := q.MinRows
	if minRows <= 0 {
		minRows = 1
	}
	return collect(ctx, s, "SELECT l.bot_id, count(*), CASE WHEN b.ended_at IS NULL THEN 0 ELSE 1 END "+
		"FROM bot_logs l JOIN bots b ON b.id = l.bot_id GROUP BY l.bot_id, b.ended_at "+
		"HAVING b.ended_at IS NOT NULL OR count(*) >= ? OR min(l.logged_at) < ? ORDER BY l.bot_id LIMIT ?",
		[]any{minRows, s.d.at(q.OlderThan), n}, func(r *sql.Rows, b *LogBacklog) error {
			var ended int
			err := r.Scan(&b.BotID, &b.Rows, &ended)
			b.Ended = ended == 1
			return err
		})
}

// LogsToArchive returns a bot's first n log rows by id (n at most 50,000,
// more than a listing page may hold).
func (s *db) LogsToArchive(ctx context.Context, botID int64, n int) ([]LogEntry, error) {
	n = min(max(n, 1), maxArchiveRows)
	return collect(ctx, s, "SELECT "+logEntryCols+" FROM bot_logs WHERE bot_id = ? ORDER BY id LIMIT ?",
		[]any{botID, n}, func(r *sql.Rows, e *LogEntry) error { return scanLog(r, e) })
}

// deleteBatch bounds the ids of one DELETE, under both engines' limits
// on bound parameters.
const deleteBatch = 500

// DeleteLogs deletes the listed log rows of a bot, exactly those: a row
// stored later with a smaller id (PostgreSQL commits out of id order) is
// not in the archived chunk and must stay. It returns how many went.
func (s *db) DeleteLogs(ctx context.Context, botID int64, ids []int64) (int64, error) {
	var total int64
	err := s.tx(ctx, func(t *db) error {
		for start := 0; start < len(ids); start += deleteBatch {
			part := ids[start:min(start+deleteBatch, len(ids))]
			args := make([]any, 0, len(part)+1)
			args = append(args, botID)
			for _, id := range part {
				args = append(args, id)
			}
			n, err := t.exec(ctx, "DELETE FROM bot_logs WHERE bot_id = ? AND id IN ("+placeholders(len(part))+")", args...)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}

// PurgeDue lists, by id, bots that ended before q.EndedBefore and whose
// q.Kind retention has not removed yet.
func (s *db) PurgeDue(ctx context.Context, q PurgeQuery) ([]int64, error) {
	col, ok := purgeColumns[q.Kind]
	if !ok {
		return nil, fmt.Errorf("store: unknown purge kind %q", q.Kind)
	}
	n := q.Limit
	if n <= 0 {
		n = 100
	}
	return collect(ctx, s, "SELECT b.id FROM bots b LEFT JOIN bot_purges p ON p.bot_id = b.id "+
		"WHERE b.ended_at IS NOT NULL AND b.ended_at < ? AND b.id > ? AND p."+col+" IS NULL ORDER BY b.id LIMIT ?",
		[]any{s.d.at(q.EndedBefore), q.AfterID, n}, func(r *sql.Rows, id *int64) error { return r.Scan(id) })
}

// PurgeBot deletes a bot's rows of kind (log lines, or screenshot
// records) and records the purge, in one transaction. The caller deletes
// the blobs first: a purge cut short is then redone whole.
func (s *db) PurgeBot(ctx context.Context, botID int64, kind string, now time.Time) error {
	col, ok := purgeColumns[kind]
	if !ok {
		return fmt.Errorf("store: unknown purge kind %q", kind)
	}
	table := map[string]string{PurgeLogs: "bot_logs", PurgeScreenshots: "bot_screenshots"}[kind]
	return s.tx(ctx, func(t *db) error {
		if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE bot_id = ?", botID); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO bot_purges (bot_id, "+col+") VALUES (?, ?) "+
			"ON CONFLICT (bot_id) DO UPDATE SET "+col+" = excluded."+col, botID, t.d.at(now))
		return err
	})
}
