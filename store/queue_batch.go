package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// queueBatch gathers, in a group of creates on PostgreSQL, the moves of
// its new bots to the queue, and writes them in one statement. Under a
// burst nearly every create of a group is queued, one move after another
// with no statement between them; each move was a round trip made while
// holding the admission lock. A move is held back only until the next
// statement of the transaction, whatever it is: the batch is the
// transaction's executor and writes the moves held before it runs
// anything else, so every read sees the queue as if each move had been
// made at once, in order.
type queueBatch struct {
	executor // the transaction's
	t        *db
	moves    []queuedMove
	// target is the outcome of the create being admitted, which a held
	// move fills in once it is written.
	target *CreateAdmitted
	err    error // the first write of held moves that failed
}

// queuedMove is a new bot's move to the queue, held back.
type queuedMove struct {
	bot    Bot
	now    time.Time
	wait   func(int) time.Duration
	target *CreateAdmitted
}

// errBatchMismatch is a batch of moves that did not write each of its bots
// once: the group runs again, a create at a time.
var errBatchMismatch = errors.New("store: a batch of moves to the queue did not write each bot once")

// hold takes the move of a new, SCHEDULED bot to the queue, when the
// transaction batches them; the admission's result is filled in when the
// move is written.
func (s *db) hold(b Bot, now time.Time, wait func(int) time.Duration) bool {
	qb, ok := s.ex.(*queueBatch)
	if !ok || qb.target == nil || b.Status != api.StatusScheduled || b.PoolSlotID != nil {
		return false
	}
	if len(qb.moves) > 0 && !qb.moves[0].now.Equal(now) {
		return false // one statement writes one admission time
	}
	qb.moves = append(qb.moves, queuedMove{bot: b, now: now, wait: wait, target: qb.target})
	return true
}

func (qb *queueBatch) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := qb.flush(ctx); err != nil {
		return nil, err
	}
	return qb.executor.ExecContext(ctx, q, args...)
}

func (qb *queueBatch) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := qb.flush(ctx); err != nil {
		return nil, err
	}
	return qb.executor.QueryContext(ctx, q, args...)
}

// QueryRowContext cannot hand back the batch's failure in its row. A
// failed statement aborted the transaction, so the query fails too; and
// any failure stays in err, which the group's last flush returns, so the
// group runs again with savepoints.
func (qb *queueBatch) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	_ = qb.flush(ctx)
	return qb.executor.QueryRowContext(ctx, q, args...)
}

func (qb *queueBatch) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	if err := qb.flush(ctx); err != nil {
		return nil, err
	}
	return qb.executor.PrepareContext(ctx, q)
}

// flush writes the held moves, then records what each admission changed,
// as queueBot does for a move of its own, and fills in its outcome.
func (qb *queueBatch) flush(ctx context.Context) error {
	if qb.err != nil || len(qb.moves) == 0 {
		return qb.err
	}
	moves := qb.moves
	qb.moves = nil // what the records below run writes nothing held
	written, err := qb.write(ctx, moves)
	if err != nil {
		qb.err = err
		return err
	}
	for i, m := range moves {
		w := written[i]
		t := qb.t
		if err := t.admitted(ctx, m.bot.Status, w.bot, statusChange{now: m.now, position: w.pos, wait: m.wait}); err != nil {
			qb.err = err
			return err
		}
		if err := t.recordChange(ChangeEvent, w.bot.UserID, w.bot.ID, w.ev); err != nil {
			qb.err = err
			return err
		}
		m.target.Bot, m.target.Result.Bot, m.target.Result.Position = w.bot, w.bot, w.pos
	}
	return nil
}

// queueBatchSQL writes a batch of moves; see write.
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

// writtenMove is what the batch's statement returned for one move.
type writtenMove struct {
	bot Bot
	pos int
	ev  Event
}

// write is moveToQueue for many new bots in one statement. The places
// come from one ordered pass over the queue rows the statement's snapshot
// shows and the batch's own, which it does not show (counting the rows
// before each bot apart read the queue once per bot). A place is the one
// the bot had when its own move was made: batch rows ahead of it that
// were moved after it (their ids are larger, as the group admits its
// creates in the order it wrote them) are not counted.
func (qb *queueBatch) write(ctx context.Context, moves []queuedMove) ([]writtenMove, error) {
	t, now := qb.t, moves[0].now
	at := t.d.at(now)
	ids := make([]int64, len(moves))
	timeouts := make([]*time.Time, len(moves))
	for i, m := range moves {
		ids[i] = m.bot.ID
		if to, ok := t.queueTimeout(m.bot, now).(time.Time); ok {
			timeouts[i] = &to
		}
	}
	rows, err := qb.executor.QueryContext(ctx, t.d.rebind(queueBatchSQL), ids, timeouts, at, at, at, string(api.StatusQueued), at, at)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	byID := make(map[int64]writtenMove, len(moves))
	for rows.Next() {
		var w writtenMove
		var evTime, evCreated time.Time
		if err := scanBot(withExtra(rows, &w.pos, &w.ev.ID, timeCol{&evTime}, rawCol{&w.ev.Data}, timeCol{&evCreated}), &w.bot); err != nil {
			return nil, mapErr(err)
		}
		w.ev.BotID, w.ev.Type, w.ev.Time, w.ev.CreatedAt = w.bot.ID, string(api.StatusQueued), evTime, evCreated
		byID[w.bot.ID] = w
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	out := make([]writtenMove, len(moves))
	for i, id := range ids {
		w, ok := byID[id]
		if !ok || len(byID) != len(moves) {
			return nil, fmt.Errorf("%w: bot %d", errBatchMismatch, id)
		}
		out[i] = w
	}
	return out, nil
}
