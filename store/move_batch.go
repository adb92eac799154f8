package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
)

// moveBatch gathers, in a group of creates on PostgreSQL, the moves of
// its new bots to DEPLOYING and to the queue, and writes each kind in one
// statement. Under a burst the creates of a group are admitted one after
// another with no statement between them (capacity and the queue ahead
// are kept in memory by the group), and each move was a round trip made
// while holding the admission lock. A move is held back only until the
// next statement of the transaction, whatever it is: the batch is the
// transaction's executor and writes the moves held before it runs
// anything else, so every read sees the bots as if each move had been
// made at once, in order.
type moveBatch struct {
	executor // the transaction's
	t        *db
	deploys  []heldMove
	queued   []heldMove
	now      time.Time // the admission time of the moves held
	// target is the outcome of the create being admitted, which a held
	// move fills in once it is written.
	target *CreateAdmitted
	err    error // the first write of held moves that failed
}

// heldMove is a new bot's move held back: to DEPLOYING on a platform
// without a pool, with its ROUTED event when the admission explains, or
// to the queue, with its wait estimator.
type heldMove struct {
	bot      Bot
	platform string
	ev       *Event
	wait     func(int) time.Duration
	target   *CreateAdmitted
}

// errBatchMismatch is a batch of moves that did not write each of its bots
// once: the group runs again, a create at a time.
var errBatchMismatch = errors.New("store: a batch of moves did not write each bot once")

// batchFor is the transaction's batch when it may hold a move of the new,
// SCHEDULED bot b admitted at now; nil when the move is to be made now.
func (s *db) batchFor(b Bot, now time.Time) *moveBatch {
	mb, ok := s.ex.(*moveBatch)
	if !ok || mb.target == nil || b.Status != api.StatusScheduled || b.PoolSlotID != nil {
		return nil
	}
	if len(mb.deploys)+len(mb.queued) > 0 && !mb.now.Equal(now) {
		return nil // one statement writes one admission time
	}
	mb.now = now
	return mb
}

// hold takes the move of a new bot to the queue, when the transaction
// batches them; the admission's outcome is filled in when it is written.
func (s *db) hold(b Bot, now time.Time, wait func(int) time.Duration) bool {
	mb := s.batchFor(b, now)
	if mb == nil {
		return false
	}
	mb.queued = append(mb.queued, heldMove{bot: b, wait: wait, target: mb.target})
	return true
}

// holdDeploy takes the move of a new bot to DEPLOYING on a platform
// without a pool (a pooled one gives the bot a slot in the same step).
func (s *db) holdDeploy(b Bot, where placement, now time.Time, ev *Event) bool {
	mb := s.batchFor(b, now)
	if mb == nil || where.platform.Pool != nil {
		return false
	}
	mb.deploys = append(mb.deploys, heldMove{bot: b, platform: where.platform.Name, ev: ev, target: mb.target})
	return true
}

func (mb *moveBatch) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := mb.flush(ctx); err != nil {
		return nil, err
	}
	return mb.executor.ExecContext(ctx, q, args...)
}

func (mb *moveBatch) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := mb.flush(ctx); err != nil {
		return nil, err
	}
	return mb.executor.QueryContext(ctx, q, args...)
}

// QueryRowContext cannot hand back the batch's failure in its row. A
// failed statement aborted the transaction, so the query fails too; and
// any failure stays in err, which the group's last flush returns, so the
// group runs again with savepoints.
func (mb *moveBatch) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	_ = mb.flush(ctx)
	return mb.executor.QueryRowContext(ctx, q, args...)
}

func (mb *moveBatch) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	if err := mb.flush(ctx); err != nil {
		return nil, err
	}
	return mb.executor.PrepareContext(ctx, q)
}

// flush writes the held moves, deploys first, then records what each
// admission changed, as deployBot and queueBot do for a move of their own,
// and fills in its outcome.
func (mb *moveBatch) flush(ctx context.Context) error {
	if mb.err != nil || len(mb.deploys)+len(mb.queued) == 0 {
		return mb.err
	}
	deploys, queued := mb.deploys, mb.queued
	mb.deploys, mb.queued = nil, nil // what the records below run writes nothing held
	for _, w := range []struct {
		moves []heldMove
		write func(context.Context, []heldMove) ([]writtenMove, error)
	}{{deploys, mb.writeDeploys}, {queued, mb.writeQueued}} {
		if len(w.moves) == 0 {
			continue
		}
		written, err := w.write(ctx, w.moves)
		if err == nil {
			err = mb.record(ctx, w.moves, written)
		}
		if err != nil {
			mb.err = err
			return err
		}
	}
	return nil
}

// record records what each written move's admission changed: the bot's
// webhooks and state for the streams, then its event, if it has one.
func (mb *moveBatch) record(ctx context.Context, moves []heldMove, written []writtenMove) error {
	t := mb.t
	for i, m := range moves {
		w := written[i]
		if err := t.admitted(ctx, m.bot.Status, w.bot, statusChange{now: mb.now, position: w.pos, wait: m.wait}); err != nil {
			return err
		}
		if w.ev.ID != 0 {
			if err := t.recordChange(ChangeEvent, w.bot.UserID, w.bot.ID, w.ev); err != nil {
				return err
			}
		}
		m.target.Bot, m.target.Result.Bot, m.target.Result.Position = w.bot, w.bot, w.pos
	}
	return nil
}
