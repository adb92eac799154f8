package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

const eventCols = "id, bot_id, event_type, event_time, data, created_at"

// InsertEvents writes a batch of events with multi-row inserts, and each
// event, with its stored id, to the change feed. CreatedAt defaults to the
// event's time.
func (s *db) InsertEvents(ctx context.Context, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	return s.tx(ctx, func(t *db) error {
		var stored []Event
		err := t.insertReturning(ctx, "INSERT INTO bot_events ("+eventCols[4:]+") VALUES ", 5, len(events), " RETURNING "+eventCols,
			func(i int) []any {
				ev := withEventTimes(events[i], events[i].Time)
				return []any{ev.BotID, ev.Type, t.d.at(ev.Time), rawArg(ev.Data), t.d.at(ev.CreatedAt)}
			}, func(r *sql.Rows) error {
				var ev Event
				err := scanEvent(r, &ev)
				stored = append(stored, ev)
				return err
			})
		if err != nil {
			return err
		}
		owners, err := t.owners(ctx, distinctBots(stored, func(e Event) int64 { return e.BotID }))
		if err != nil {
			return err
		}
		for _, ev := range stored {
			if err := t.recordChange(ChangeEvent, owners[ev.BotID], ev.BotID, ev); err != nil {
				return err
			}
		}
		return nil
	})
}

func scanEvent(r interface{ Scan(...any) error }, ev *Event) error {
	return r.Scan(eventDest(ev)...)
}

// eventDest is where a row of eventCols scans to.
func eventDest(ev *Event) []any {
	return []any{&ev.ID, &ev.BotID, &ev.Type, timeCol{&ev.Time}, rawCol{&ev.Data}, timeCol{&ev.CreatedAt}}
}

// eventWith is what a PostgreSQL statement whose CTE u updates a bot row
// adds to write ev for that row in the same statement: a CTE to follow
// u's and the final select (u's columns, then the event's), the event's
// arguments, and where the stored event scans to. A row the update's
// guard refuses gets no event, and the statement returns no row.
func (s *db) eventWith(ev Event, now time.Time) (q string, args []any, stored *Event, dest []any) {
	ev = withEventTimes(ev, now)
	stored = &Event{}
	q = ", e AS (INSERT INTO bot_events (" + eventCols[4:] + ") SELECT id, ?::text, ?::timestamptz, ?::jsonb, ?::timestamptz FROM u RETURNING " + eventCols + ")" +
		" SELECT u.*, e.* FROM u CROSS JOIN e"
	return q, []any{ev.Type, s.d.at(ev.Time), rawArg(ev.Data), s.d.at(ev.CreatedAt)}, stored, eventDest(stored)
}

// ListEvents pages a bot's events in the order they were written.
func (s *db) ListEvents(ctx context.Context, botID int64, p Page) ([]Event, error) {
	var out []Event
	err := s.each(ctx, "SELECT "+eventCols+" FROM bot_events WHERE bot_id = ? AND id > ? ORDER BY id LIMIT ?",
		[]any{botID, p.AfterID, limit(p.Limit)}, func(r *sql.Rows) error {
			var ev Event
			err := scanEvent(r, &ev)
			out = append(out, ev)
			return err
		})
	return out, err
}

// StatusCounts counts bots by status, for one user or (userID 0) everyone.
func (s *db) StatusCounts(ctx context.Context, userID int64) (map[api.BotStatus]int, error) {
	q, args := "SELECT status, count(*) FROM bots", []any{}
	if userID != 0 {
		q, args = q+" WHERE user_id = ?", append(args, userID)
	}
	out := map[api.BotStatus]int{}
	err := s.each(ctx, q+" GROUP BY status", args, func(r *sql.Rows) error {
		var st string
		var n int
		err := r.Scan(&st, &n)
		out[api.BotStatus(st)] = n
		return err
	})
	return out, err
}

// FindBots selects bots for the workers, oldest first.
func (s *db) FindBots(ctx context.Context, q BotQuery) ([]Bot, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if len(q.Statuses) > 0 {
		cond, a := statusIn("status", q.Statuses)
		add(cond, a...)
	}
	if q.Platform != "" {
		add("deployment_platform = ?", q.Platform)
	}
	if q.HeartbeatBefore != nil {
		// Before the first heartbeat, the deploy start is the clock.
		add("COALESCE(last_heartbeat_at, deploy_started_at) < ?", s.d.at(*q.HeartbeatBefore))
	}
	if q.DeployBefore != nil {
		add("deploy_started_at < ?", s.d.at(*q.DeployBefore))
	}
	if q.JoinAtBefore != nil {
		add("(join_at IS NULL OR join_at <= ?)", s.d.at(*q.JoinAtBefore))
	}
	if q.UpdatedBefore != nil {
		add("updated_at < ?", s.d.at(*q.UpdatedBefore))
	}
	if len(q.DeployedBy) > 0 {
		args := make([]any, len(q.DeployedBy))
		for i, d := range q.DeployedBy {
			args[i] = d
		}
		add("deployed_by IN ("+placeholders(len(args))+")", args...)
	}
	if len(q.IDs) > 0 {
		args := make([]any, len(q.IDs))
		for i, id := range q.IDs {
			args[i] = id
		}
		add("id IN ("+placeholders(len(args))+")", args...)
	}
	if q.AfterID > 0 {
		add("id > ?", q.AfterID)
	}
	sqlq := "SELECT " + botCols + " FROM bots"
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	return s.bots(ctx, sqlq+" ORDER BY id LIMIT ?", append(args, findLimit(q.Limit))...)
}

// findLimit bounds a worker sweep: larger than a page, since a sweep has no
// cursor and should see every candidate in one pass.
func findLimit(n int) int {
	if n <= 0 {
		return 1000
	}
	return min(n, 10000)
}
