package store

import (
	"context"
	"database/sql"
	"errors"
	"math/bits"
	"slices"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
)

// queueOrder is admission order: priority, then FIFO, then id for ties.
const queueOrder = " ORDER BY priority, queued_at, bot_id"

// AdmitQueued admits queue heads while a platform has room, under the
// admission lock.
func (s *db) AdmitQueued(ctx context.Context, p AdmitQueuedParams) ([]Bot, error) {
	var out []Bot
	err := s.admissionCounting(ctx, &p.Now, func(t *db, used map[string]int) (err error) {
		out, err = t.admitQueued(ctx, p, used)
		return err
	})
	return out, err
}

// admitQueued admits queue heads onto the capacity used leaves, which it
// keeps as it admits them.
func (s *db) admitQueued(ctx context.Context, p AdmitQueuedParams, used map[string]int) ([]Bot, error) {
	var out []Bot
	// Heads that reservations or their owner's cap keep out: the heads
	// behind them may pass them.
	passed := map[int64]bool{}
	for {
		room := totalRoom(p.Platforms, used)
		if p.Max > 0 {
			room = min(room, p.Max-len(out))
		}
		if room <= 0 {
			return out, nil
		}
		heads, err := s.queueHeadBots(ctx, room+len(passed), p.Now)
		if err != nil {
			return out, err
		}
		heads = slices.DeleteFunc(heads, func(b Bot) bool { return passed[b.ID] })
		if len(heads) == 0 {
			return out, nil
		}
		for _, b := range heads {
			id := b.ID
			if capped, err := s.overCap(ctx, b, p.Now); err != nil || capped != nil {
				if err != nil {
					return nil, err
				}
				passed[id] = true // its owner reached the cap: the next heads pass it
				continue
			}
			rt, err := s.routeFor(ctx, p.Routing, p.Platforms, used, b, p.Now)
			if err != nil {
				return nil, err
			}
			where, ok, err := s.place(ctx, rt.order, rt.blocked, used, b.Meeting.Platform, p.Now)
			if err != nil {
				return out, err
			}
			if !ok && len(rt.blocked) > 0 {
				// Capacity is free but booked for scheduled bots during
				// this bot's window; a bot behind it that ends in time
				// may still use it.
				passed[id] = true
				continue
			}
			if !ok {
				return out, nil // strict FIFO: nothing passes a head that fits nowhere
			}
			ev, err := routeEvent(id, rt, where.platform.Name, p.Now)
			if err != nil {
				return nil, err
			}
			b, _, err = s.deployBot(ctx, Bot{ID: id, Status: api.StatusQueued, Meeting: b.Meeting, PoolSlotID: b.PoolSlotID}, where, p.Now, ev)
			if errors.Is(err, ErrConflict) {
				// The bot left QUEUED without its row: drop the stale row.
				_, err = s.exec(ctx, "DELETE FROM deployment_queue WHERE bot_id = ?", id)
				if err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			used[where.platform.Name]++
			out = append(out, b)
		}
	}
}

// totalRoom is the free capacity over all platforms.
func totalRoom(platforms []PlatformLimit, used map[string]int) int {
	room := 0
	for _, pl := range platforms {
		room += max(0, pl.Limit-used[pl.Name])
	}
	return room
}

// queueHeadBots lists up to n unexpired queued bots in admission order,
// each bot's row read with its queue row. Bots held back by a concurrency
// cap are passed over; a deleted bot's queue row went with it.
func (s *db) queueHeadBots(ctx context.Context, n int, now time.Time) ([]Bot, error) {
	capped, cargs, err := s.cappedQueued(ctx, now)
	if err != nil {
		return nil, err
	}
	// The limit is written into the statement, rounded up to a power of
	// two (a few statements in all): given as a parameter, PostgreSQL
	// planned the statement again on every run, its plan for the value at
	// hand always cheaper than one for any limit, 0.3 ms of each admission
	// from the queue.
	lim := 1 << bits.Len(uint(max(n, 1)-1))
	heads, err := collect(ctx, s, "SELECT "+botCols+" FROM bots JOIN (SELECT bot_id, priority AS q_priority, queued_at AS q_queued_at "+
		"FROM deployment_queue WHERE (timeout_at IS NULL OR timeout_at > ?)"+capped+queueOrder+" LIMIT "+strconv.Itoa(lim)+") q "+
		"ON q.bot_id = bots.id ORDER BY q.q_priority, q.q_queued_at, q.bot_id", append([]any{s.d.at(now)}, cargs...),
		func(r *sql.Rows, b *Bot) error { return scanBot(r, b) })
	return heads[:min(n, len(heads))], err
}

// ids runs a query returning one id per row.
func (s *db) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	var out []int64
	err := s.each(ctx, q, args, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}

// ExpireQueue ends every queued bot whose timeout has passed as FATAL with
// reason queue_timeout, writing a FATAL event so its history says why.
func (s *db) ExpireQueue(ctx context.Context, now time.Time) ([]Bot, error) {
	var out []Bot
	err := s.tx(ctx, func(t *db) error {
		if err := t.lockAdmission(ctx); err != nil {
			return err
		}
		ids, err := t.ids(ctx, "SELECT bot_id FROM deployment_queue WHERE timeout_at IS NOT NULL AND timeout_at <= ?"+queueOrder, t.d.at(now))
		if err != nil {
			return err
		}
		out, err = t.expire(ctx, ids, now)
		return err
	})
	return out, err
}

func (s *db) expire(ctx context.Context, ids []int64, now time.Time) ([]Bot, error) {
	var out []Bot
	for _, id := range ids {
		b, err := s.transition(ctx, TransitionParams{
			BotID: id, To: api.StatusFatal, From: []api.BotStatus{api.StatusQueued},
			Reason: api.ReasonQueueTimeout, Now: now,
			Event: &Event{Type: string(api.StatusFatal), Data: []byte(`{"sub_code":"queue_timeout"}`)},
		})
		if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
			if _, err := s.exec(ctx, "DELETE FROM deployment_queue WHERE bot_id = ?", id); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// ListQueue lists queue entries in admission order with global positions.
func (s *db) ListQueue(ctx context.Context, userID int64) ([]QueueEntry, error) {
	q := "SELECT bot_id, user_id, priority, queued_at, timeout_at, pos, display_name, meeting_platform FROM (" +
		"SELECT q.bot_id, b.user_id, q.priority, q.queued_at, q.timeout_at, b.display_name, b.meeting_platform, " +
		"row_number() OVER (ORDER BY q.priority, q.queued_at, q.bot_id) AS pos " +
		"FROM deployment_queue q JOIN bots b ON b.id = q.bot_id) x"
	var args []any
	if userID != 0 {
		q, args = q+" WHERE user_id = ?", append(args, userID)
	}
	var out []QueueEntry
	err := s.each(ctx, q+" ORDER BY pos", args, func(r *sql.Rows) error {
		var e QueueEntry
		var timeout *time.Time
		err := r.Scan(&e.BotID, &e.UserID, &e.Priority, timeCol{&e.QueuedAt}, nullTimeCol{&timeout}, &e.Position,
			&e.DisplayName, &e.MeetingPlatform)
		if timeout != nil {
			e.TimeoutAt = *timeout
		}
		out = append(out, e)
		return err
	})
	return out, err
}
