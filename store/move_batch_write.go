package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// queueBatchSQL writes a batch of moves to the queue; see writeQueued.
var queueBatchSQL = "WITH v AS (SELECT * FROM unnest(?::bigint[], ?::timestamptz[]) AS v(move_id, move_timeout)), " +
	"u AS (UPDATE bots SET status = 'QUEUED', queued_at = COALESCE(queued_at, ?), deployment_platform = NULL, " +
	"deploy_claim_holder = NULL, deploy_claim_until = NULL, updated_at = ? FROM v " +
	"WHERE bots.id = v.move_id AND bots.status = 'SCHEDULED' AND " + unclaimed + " RETURNING bots.*, v.move_timeout), " +
	"q AS (INSERT INTO deployment_queue (bot_id, priority, queued_at, timeout_at) " +
	"SELECT id, priority, queued_at, move_timeout FROM u ON CONFLICT (bot_id) DO NOTHING RETURNING bot_id, priority, queued_at), " +
	"p AS (SELECT y.bot_id, y.pos - (SELECT count(*) FROM q o WHERE (o.priority, o.queued_at, o.bot_id) <= " +
	"(y.priority, y.queued_at, y.bot_id) AND o.bot_id > y.bot_id) AS pos " +
	"FROM (SELECT bot_id, priority, queued_at, fresh, row_number() OVER (ORDER BY priority, queued_at, bot_id) AS pos " +
	"FROM (SELECT bot_id, priority, queued_at, false AS fresh FROM deployment_queue " +
	"UNION ALL SELECT bot_id, priority, queued_at, true FROM q) x) y WHERE fresh), " +
	"e AS (INSERT INTO bot_events (bot_id, event_type, event_time, data, created_at) " +
	"SELECT bot_id, ?, ?, jsonb_build_object('position', pos), ? FROM p RETURNING " + eventCols + ") " +
	"SELECT " + qualified("u", botCols) + ", p.pos, e.id, e.event_time, e.data, e.created_at " +
	"FROM u JOIN p ON p.bot_id = u.id JOIN e ON e.bot_id = u.id ORDER BY u.id"

// writtenMove is what a batch's statement returned for one move: the
// bot, its place (moves to the queue), its event (ID 0: none).
type writtenMove struct {
	bot Bot
	pos int
	ev  Event
}

// writeQueued is moveToQueue for many new bots in one statement. The places
// come from one ordered pass over the queue rows the statement's snapshot
// shows and the batch's own, which it does not show (counting the rows
// before each bot apart read the queue once per bot). A place is the one
// the bot had when its own move was made: batch rows ahead of it that
// were moved after it (their ids are larger, as the group admits its
// creates in the order it wrote them) are not counted.
func (mb *moveBatch) writeQueued(ctx context.Context, moves []heldMove) ([]writtenMove, error) {
	t, now := mb.t, mb.now
	at := t.d.at(now)
	ids := make([]int64, len(moves))
	timeouts := make([]*time.Time, len(moves))
	for i, m := range moves {
		ids[i] = m.bot.ID
		if to, ok := t.queueTimeout(m.bot, now).(time.Time); ok {
			timeouts[i] = &to
		}
	}
	return mb.written(ctx, ids, queueBatchSQL, []any{ids, timeouts, at, at, at, string(api.StatusQueued), at, at},
		func(rows *sql.Rows, w *writtenMove) error {
			var evTime, evCreated time.Time
			err := scanBot(withExtra(rows, &w.pos, &w.ev.ID, timeCol{&evTime}, rawCol{&w.ev.Data}, timeCol{&evCreated}), &w.bot)
			w.ev.BotID, w.ev.Type, w.ev.Time, w.ev.CreatedAt = w.bot.ID, string(api.StatusQueued), evTime, evCreated
			return err
		})
}

// written runs a batch's statement and reads its rows, a written move
// each, scanned by scan; it returns them in the order of ids, each bot
// written once.
func (mb *moveBatch) written(ctx context.Context, ids []int64, q string, args []any, scan func(*sql.Rows, *writtenMove) error) ([]writtenMove, error) {
	rows, err := mb.executor.QueryContext(ctx, mb.t.d.rebind(q), args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	byID := make(map[int64]writtenMove, len(ids))
	for rows.Next() {
		var w writtenMove
		if err := scan(rows, &w); err != nil {
			return nil, mapErr(err)
		}
		byID[w.bot.ID] = w
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if len(byID) != len(ids) {
		return nil, fmt.Errorf("%w: %d bots written for %d moves", errBatchMismatch, len(byID), len(ids))
	}
	out := make([]writtenMove, len(ids))
	for i, id := range ids {
		w, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%w: bot %d", errBatchMismatch, id)
		}
		out[i] = w
	}
	return out, nil
}

// deployBatchSQL writes a batch of moves to DEPLOYING; see writeDeploys.
var deployBatchSQL = "WITH v AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[]) " +
	"AS v(move_id, move_platform, ev_type, ev_time, ev_data, ev_created)), " +
	"u AS (UPDATE bots SET status = 'DEPLOYING', deployment_platform = v.move_platform, deploy_started_at = ?, " +
	"deploy_claim_holder = NULL, deploy_claim_until = NULL, updated_at = ? FROM v " +
	"WHERE bots.id = v.move_id AND bots.status = 'SCHEDULED' AND " + unclaimed +
	" RETURNING bots.*, v.ev_type, v.ev_time, v.ev_data, v.ev_created), " +
	"e AS (INSERT INTO bot_events (bot_id, event_type, event_time, data, created_at) " +
	"SELECT id, ev_type, ev_time, ev_data::jsonb, ev_created FROM u WHERE ev_type IS NOT NULL RETURNING " + eventCols + ") " +
	"SELECT " + qualified("u", botCols) + ", e.id, e.event_type, e.event_time, e.data, e.created_at FROM u LEFT JOIN e ON e.bot_id = u.id ORDER BY u.id"

// writeDeploys is moveToDeploying for many new bots in one statement,
// each with its event, when it has one.
func (mb *moveBatch) writeDeploys(ctx context.Context, moves []heldMove) ([]writtenMove, error) {
	t, at := mb.t, mb.t.d.at(mb.now)
	n := len(moves)
	ids, platforms := make([]int64, n), make([]string, n)
	types, datas := make([]*string, n), make([]*string, n)
	times, created := make([]*time.Time, n), make([]*time.Time, n)
	for i, m := range moves {
		ids[i], platforms[i] = m.bot.ID, m.platform
		if m.ev == nil {
			continue
		}
		ev := withEventTimes(*m.ev, mb.now)
		typ, data := ev.Type, string(ev.Data)
		evTime, evCreated := t.d.at(ev.Time).(time.Time), t.d.at(ev.CreatedAt).(time.Time)
		types[i], times[i], created[i] = &typ, &evTime, &evCreated
		if len(ev.Data) > 0 {
			datas[i] = &data
		}
	}
	return mb.written(ctx, ids, deployBatchSQL, []any{ids, platforms, types, times, datas, created, at, at, at},
		func(rows *sql.Rows, w *writtenMove) error {
			var evID sql.NullInt64
			var evTime, evCreated *time.Time
			if err := scanBot(withExtra(rows, &evID, strCol{&w.ev.Type}, nullTimeCol{&evTime}, rawCol{&w.ev.Data}, nullTimeCol{&evCreated}), &w.bot); err != nil {
				return err
			}
			if evID.Valid {
				w.ev.ID, w.ev.BotID, w.ev.Time, w.ev.CreatedAt = evID.Int64, w.bot.ID, *evTime, *evCreated
			}
			return nil
		})
}
