package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// rowsPerInsert bounds a multi-row INSERT: far under both engines'
// parameter limits, and large enough that a batch of heartbeats, logs or
// request logs costs a handful of round trips.
const rowsPerInsert = 100

// insertRows inserts n rows of cols values each, produced by row, with
// multi-row statements "prefix (?, ...), (?, ...) suffix" in one
// transaction.
func (s *db) insertRows(ctx context.Context, prefix string, cols, n int, suffix string, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	tuple := "(" + placeholders(cols) + ")"
	return s.tx(ctx, func(t *db) error {
		for start := 0; start < n; start += rowsPerInsert {
			end := min(start+rowsPerInsert, n)
			args := make([]any, 0, (end-start)*cols)
			for i := start; i < end; i++ {
				args = append(args, row(i)...)
			}
			q := prefix + strings.Repeat(tuple+", ", end-start-1) + tuple + suffix
			if _, err := t.exec(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertReturning is insertRows for statements whose suffix has a
// RETURNING clause: scan sees each row written.
func (s *db) insertReturning(ctx context.Context, prefix string, cols, n int, suffix string, row func(i int) []any,
	scan func(*sql.Rows) error) error {
	if n == 0 {
		return nil
	}
	tuple := "(" + placeholders(cols) + ")"
	return s.tx(ctx, func(t *db) error {
		for start := 0; start < n; start += rowsPerInsert {
			end := min(start+rowsPerInsert, n)
			args := make([]any, 0, (end-start)*cols)
			for i := start; i < end; i++ {
				args = append(args, row(i)...)
			}
			q := prefix + strings.Repeat(tuple+", ", end-start-1) + tuple + suffix
			if err := t.each(ctx, q, args, scan); err != nil {
				return err
			}
		}
		return nil
	})
}

// owners maps bot ids to their owners' user ids, for the change feed of
// rows that name only a bot.
func (s *db) owners(ctx context.Context, botIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(botIDs))
	// A bot whose change this transaction recorded names its owner there.
	var args []any
	for _, id := range botIDs {
		if user, ok := s.pendingOwner(id); ok {
			out[id] = user
		} else {
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	err := s.each(ctx, "SELECT id, user_id FROM bots WHERE id IN ("+placeholders(len(args))+")", args, func(r *sql.Rows) error {
		var id, user int64
		err := r.Scan(&id, &user)
		out[id] = user
		return err
	})
	return out, err
}

// distinctBots lists the bot ids of rows, each once, in first-seen order.
func distinctBots[T any](rows []T, botID func(T) int64) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, r := range rows {
		if id := botID(r); !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// batchTimes sets column col of many rows of table to per-row times, never
// moving a time backwards. PostgreSQL does it in one statement over two
// arrays; SQLite, where a statement costs no round trip, runs one prepared
// statement per row in one transaction. Ids go in ascending order so
// concurrent batches lock rows in the same order.
func (s *db) batchTimes(ctx context.Context, table, col string, times map[int64]time.Time) error {
	if len(times) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(times))
	for id := range times {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if s.d.postgres {
		ats := make([]time.Time, len(ids))
		for i, id := range ids {
			ats[i] = s.d.at(times[id]).(time.Time)
		}
		_, err := s.exec(ctx, "UPDATE "+table+" SET "+col+" = v.t FROM unnest(?::bigint[], ?::timestamptz[]) AS v(id, t) "+
			"WHERE "+table+".id = v.id AND ("+table+"."+col+" IS NULL OR "+table+"."+col+" < v.t)", ids, ats)
		return err
	}
	return s.tx(ctx, func(t *db) error {
		stmt, err := t.ex.PrepareContext(ctx, "UPDATE "+table+" SET "+col+" = ? WHERE id = ? AND ("+col+" IS NULL OR "+col+" < ?)")
		if err != nil {
			return mapErr(err)
		}
		defer stmt.Close()
		for _, id := range ids {
			at := t.d.at(times[id])
			if _, err := stmt.ExecContext(ctx, at, id, at); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}
