package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
)

// queueBot makes the bot QUEUED, keeping the place of a bot already queued
// (and the original queued_at of one failing over from DEPLOYING, whose
// slot, if it had one, is released), and tells its 1-based place in the
// queue. A bot that was not queued before starts its history's wait with
// a QUEUED event saying where it stood.
func (s *db) queueBot(ctx context.Context, b Bot, now time.Time, wait func(int) time.Duration) (Bot, int, error) {
	// An entry is added: what stands ahead is to be read again.
	s.clearUpTo = nil
	if b.PoolSlotID != nil { // a bot never given a slot has none to release
		if err := s.releaseSlotOf(ctx, b.ID, now); err != nil {
			return Bot{}, 0, err
		}
	}
	if b.Status != api.StatusQueued && s.hold(b, now, wait) {
		return b, 0, nil // written with the batch's next statement
	}
	if b.Status == api.StatusQueued {
		if err := s.enqueueBot(ctx, b, now); err != nil {
			return Bot{}, 0, err
		}
		pos, err := s.queuePosition(ctx, b.ID)
		return b, pos, err
	}
	out, pos, ev, err := s.moveToQueue(ctx, b, now)
	if errors.Is(err, ErrNotFound) {
		return Bot{}, 0, ErrConflict
	}
	if err != nil {
		return Bot{}, 0, err
	}
	if err := s.admitted(ctx, b.Status, out, statusChange{now: now, position: pos, wait: wait}); err != nil {
		return Bot{}, 0, err
	}
	if ev != nil { // written with the move: only the feed is left
		return out, pos, s.recordChange(ChangeEvent, out.UserID, out.ID, *ev)
	}
	data, _ := json.Marshal(map[string]int{"position": pos})
	return out, pos, s.InsertEvents(ctx, []Event{{BotID: out.ID, Type: string(api.StatusQueued), Time: now, Data: data}})
}

// moveToQueue changes the bot's status to QUEUED, inserts its queue row and
// counts its place. On PostgreSQL that is one statement, which also writes
// the QUEUED event it returns: the queue row is inserted from the updated
// bot, and the place counts the rows before it that the statement's
// snapshot shows, plus the new row, which it does not. A queue row already
// there (ON CONFLICT) leaves the place, and the event, to be made apart.
func (s *db) moveToQueue(ctx context.Context, b Bot, now time.Time) (Bot, int, *Event, error) {
	at := s.d.at(now)
	set := "UPDATE bots SET status = 'QUEUED', queued_at = COALESCE(queued_at, ?), " +
		"deployment_platform = NULL, deploy_claim_holder = NULL, deploy_claim_until = NULL, updated_at = ? " +
		"WHERE id = ? AND status = ? AND " + unclaimed + " RETURNING " + botCols
	args := []any{at, at, b.ID, string(b.Status), at}
	if !s.d.postgres {
		out, err := s.botRow(ctx, set, args...)
		if err != nil {
			return Bot{}, 0, nil, err
		}
		if err := s.enqueueBot(ctx, out, now); err != nil {
			return Bot{}, 0, nil, err
		}
		pos, err := s.queuePosition(ctx, out.ID)
		return out, pos, nil, err
	}
	var pos int
	var evID sql.NullInt64 // NULL with the event when pos is 0
	var evTime, evCreated *time.Time
	ev := Event{Type: string(api.StatusQueued)}
	out, err := s.botRowWith(ctx, []any{&pos, &evID, nullTimeCol{&evTime}, rawCol{&ev.Data}, nullTimeCol{&evCreated}}, "WITH u AS ("+set+"), "+
		"q AS (INSERT INTO deployment_queue (bot_id, priority, queued_at, timeout_at) "+
		"SELECT id, priority, queued_at, ?::timestamptz FROM u ON CONFLICT (bot_id) DO NOTHING RETURNING bot_id, priority, queued_at), "+
		"p AS (SELECT (SELECT count(*) FROM deployment_queue d, q WHERE (d.priority, d.queued_at, d.bot_id) <= "+
		"(q.priority, q.queued_at, q.bot_id)) + (SELECT count(*) FROM q) AS pos), "+
		"e AS (INSERT INTO bot_events (bot_id, event_type, event_time, data, created_at) "+
		"SELECT u.id, ?, ?, jsonb_build_object('position', p.pos), ? FROM u, p WHERE p.pos > 0 "+
		"RETURNING id, event_time, data, created_at) "+
		"SELECT u.*, p.pos, e.id, e.event_time, e.data, e.created_at FROM u CROSS JOIN p LEFT JOIN e ON true",
		append(args, s.queueTimeout(b, now), ev.Type, at, at)...)
	if err != nil {
		return Bot{}, 0, nil, err
	}
	if pos == 0 { // the queue row was there before: no event was written
		pos, err = s.queuePosition(ctx, out.ID)
		return out, pos, nil, err
	}
	ev.ID, ev.BotID, ev.Time, ev.CreatedAt = evID.Int64, out.ID, *evTime, *evCreated
	return out, pos, &ev, nil
}

// enqueueBot inserts the bot's queue row unless it has one. The row's
// queued_at is the bot's, so FIFO order survives a failover; its timeout
// counts from now (none when the bot has no QueueTimeout).
func (s *db) enqueueBot(ctx context.Context, b Bot, now time.Time) error {
	queuedAt := now
	if b.QueuedAt != nil {
		queuedAt = *b.QueuedAt
	}
	_, err := s.exec(ctx, "INSERT INTO deployment_queue (bot_id, priority, queued_at, timeout_at) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (bot_id) DO NOTHING", b.ID, b.Priority, s.d.at(queuedAt), s.queueTimeout(b, now))
	return err
}

// queueTimeout is when a queue row made now times out: never when the bot
// has no QueueTimeout.
func (s *db) queueTimeout(b Bot, now time.Time) any {
	if b.QueueTimeout > 0 {
		return s.d.at(now.Add(b.QueueTimeout))
	}
	return nil
}

// queuePosition is the bot's 1-based place in the whole queue.
func (s *db) queuePosition(ctx context.Context, botID int64) (int, error) {
	return s.count(ctx, "SELECT count(*) FROM deployment_queue q, deployment_queue me WHERE me.bot_id = ? AND "+
		"(q.priority, q.queued_at, q.bot_id) <= (me.priority, me.queued_at, me.bot_id)", botID)
}

// withExtra scans a row's first columns as r would and the rest into extra.
func withExtra(r interface{ Scan(...any) error }, extra ...any) interface{ Scan(...any) error } {
	return extraScan{r, extra}
}

type extraScan struct {
	r     interface{ Scan(...any) error }
	extra []any
}

func (e extraScan) Scan(dest ...any) error { return e.r.Scan(append(dest, e.extra...)...) }
