package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Admit gives the bot capacity on the first platform with room, or a place
// in the queue, under the admission lock.
func (s *db) Admit(ctx context.Context, p AdmitParams) (AdmitResult, error) {
	var res AdmitResult
	err := s.admission(ctx, &p.Now, func(t *db) (err error) {
		res, err = t.admit(ctx, p)
		return err
	})
	return res, err
}

// admission runs fn in a transaction holding the admission lock, with *now
// advanced to the admission clock.
func (s *db) admission(ctx context.Context, now *time.Time, fn func(t *db) error) error {
	return s.admitting(ctx, now, false, func(t *db, _ map[string]int) error { return fn(t) })
}

// admissionCounting is admission that also hands fn the capacity in use
// per platform, counted by the admission clock's statement (in a group,
// which holds the lock and clock already, by a statement of its own).
func (s *db) admissionCounting(ctx context.Context, now *time.Time, fn func(t *db, used map[string]int) error) error {
	return s.admitting(ctx, now, true, fn)
}

// admitting is admission and admissionCounting; used is nil unless count.
func (s *db) admitting(ctx context.Context, now *time.Time, count bool, fn func(t *db, used map[string]int) error) error {
	return s.tx(ctx, func(t *db) error {
		var used map[string]int
		if t.groupClock != nil { // a CreateAndAdmit group holds the lock
			*now = *t.groupClock
			if count {
				var err error
				if used, err = t.capacityUsed(ctx, 0); err != nil {
					return err
				}
			}
			return fn(t, used)
		}
		if err := t.lockAdmission(ctx); err != nil {
			return err
		}
		var counted *map[string]int
		if count {
			used = map[string]int{}
			counted = &used
		}
		var err error
		if *now, err = t.admissionClock(ctx, *now, counted); err != nil {
			return err
		}
		return fn(t, used)
	})
}

func (s *db) admit(ctx context.Context, p AdmitParams) (AdmitResult, error) {
	b, err := s.admissibleBot(ctx, p.BotID, p.Now, p.Created)
	if err != nil {
		return AdmitResult{}, err
	}
	used, err := s.admissionCapacity(ctx, b.ID, p.Created)
	if err != nil {
		return AdmitResult{}, err
	}
	capped, err := s.overCap(ctx, b, p.Now)
	if err != nil {
		return AdmitResult{}, err
	}
	if capped != nil && p.RefuseOverCap && b.Status == api.StatusScheduled {
		return s.refuse(ctx, b, capped)
	}
	from := b.Status
	rt, err := s.routeFor(ctx, p.Routing, p.Platforms, used, b, p.Now)
	if err != nil {
		return AdmitResult{}, err
	}
	where, ok, err := s.place(ctx, rt.order, append(slices.Clone(p.Exclude), rt.blocked...), used, b.Meeting.Platform, p.Now)
	if err != nil {
		return AdmitResult{}, err
	}
	// A bot with a reservation uses capacity booked for it: the queue
	// does not stand before it. A bot whose owner reached a cap waits.
	// The queue ahead matters only when the bot could deploy now, so a
	// bot arriving at a full fleet does not read it.
	deploy := ok && capped == nil
	if deploy && rt.reserved == "" {
		ahead, err := s.queuedAhead(ctx, b, p.Now)
		if err != nil {
			return AdmitResult{}, err
		}
		deploy = !ahead
	}
	if deploy {
		ev, err := routeEvent(b.ID, rt, where.platform.Name, p.Now)
		if err != nil {
			return AdmitResult{}, err
		}
		b, slot, err := s.deployBot(ctx, b, where, p.Now, ev)
		if err == nil && s.groupUsed != nil {
			s.groupUsed[where.platform.Name]++
		}
		return AdmitResult{Bot: b, From: from, Platform: where.platform.Name, Slot: slot}, err
	}
	b, pos, err := s.queueBot(ctx, b, p.Now, s.waitEstimator(ctx, p, b))
	return AdmitResult{Bot: b, From: from, Queued: true, Position: pos, Roomy: ok}, err
}

// waitEstimator estimates queue waits for bot.queued: waves of the total
// limit, each as long as the median run time of recent bots of the bot's
// meeting platform (p.RunTime before any has ended). The run times are read
// only once a bot is queued. The estimate the API shows is the lifecycle's,
// which also knows the running bots.
func (s *db) waitEstimator(ctx context.Context, p AdmitParams, b Bot) func(int) time.Duration {
	return func(position int) time.Duration {
		capacity := 0
		for _, pl := range p.Platforms {
			capacity += pl.Limit
		}
		run := p.RunTime
		if stats, err := s.RunTimes(ctx, 50); err == nil && stats[b.Meeting.Platform].P50 > 0 {
			run = stats[b.Meeting.Platform].P50
		}
		return WaitEstimate(position, capacity, run.Truncate(time.Second))
	}
}

// queuedAhead reports whether a waiting queue entry comes before the bot in
// admission order (priority, then queue time, then id). Such a bot must not
// take capacity first: FIFO within priority holds for every admission, not
// only for the queue's own. A bot never queued counts as queued now.
// Entries held back by a concurrency cap do not count: they could not take
// the capacity anyway.
func (s *db) queuedAhead(ctx context.Context, b Bot, now time.Time) (bool, error) {
	// In a group, a new bot (queued now) with none ahead tells the same
	// of the next as urgent or more, until the group queues one. Other
	// admissions wait for the group's lock; a bot put back in the queue
	// by a transition meanwhile counts as if it came after the group, as
	// it would had it come a moment later.
	memo := s.groupClock != nil && b.QueuedAt == nil && s.caps != nil && !*s.caps
	if memo && s.clearUpTo != nil && b.Priority <= *s.clearUpTo {
		return false, nil
	}
	ahead, err := s.queuedAheadRead(ctx, b, now)
	if err == nil && memo && !ahead {
		s.clearUpTo = &b.Priority
	}
	return ahead, err
}

// queuedAheadRead is queuedAhead as the queue tells.
func (s *db) queuedAheadRead(ctx context.Context, b Bot, now time.Time) (bool, error) {
	queuedAt := now
	if b.QueuedAt != nil {
		queuedAt = *b.QueuedAt
	}
	at := s.d.at(queuedAt)
	capped, cargs, err := s.cappedQueued(ctx, now)
	if err != nil {
		return false, err
	}
	// EXISTS stops at the first entry: a count would read the whole queue
	// ahead on every admission.
	var ahead bool
	err = s.get(ctx, "SELECT EXISTS (SELECT 1 FROM deployment_queue WHERE bot_id <> ? AND (timeout_at IS NULL OR timeout_at > ?) AND "+
		"(priority < ? OR (priority = ? AND (queued_at < ? OR (queued_at = ? AND bot_id < ?))))"+capped+")",
		append([]any{b.ID, s.d.at(now), b.Priority, b.Priority, at, at, b.ID}, cargs...), &ahead)
	return ahead, err
}

// admissibleBot reads a bot that may be admitted: SCHEDULED, QUEUED, or
// DEPLOYING with no resource and no live deploy claim. created, when it
// is the bot, is what its transaction's CreateBot wrote: no read needed.
func (s *db) admissibleBot(ctx context.Context, id int64, now time.Time, created *Bot) (Bot, error) {
	if created != nil && created.ID == id && created.Status == api.StatusScheduled && s.inTx {
		return *created, nil
	}
	b, err := s.GetBot(ctx, id)
	if err != nil {
		return Bot{}, err
	}
	switch b.Status {
	case api.StatusScheduled, api.StatusQueued:
		return b, nil
	case api.StatusDeploying:
		ok, err := s.exists(ctx, "SELECT count(*) FROM bots WHERE id = ? AND "+unclaimed, id, s.d.at(now))
		if err == nil && !ok {
			err = ErrConflict
		}
		return b, err
	}
	return Bot{}, ErrConflict
}

// unclaimed matches a bot with no resource and no live deploy claim; its one
// placeholder is now.
const unclaimed = "platform_identifier IS NULL AND (deploy_claim_until IS NULL OR deploy_claim_until < ?)"

// capacityUsed counts bots holding capacity per platform, leaving out one
// bot (the one being admitted, which may itself be DEPLOYING); 0 leaves out
// none.
func (s *db) capacityUsed(ctx context.Context, except int64) (map[string]int, error) {
	cond, args := statusIn("status", capacityStatuses)
	used := map[string]int{}
	err := s.each(ctx, "SELECT deployment_platform, count(*) FROM bots WHERE "+cond+
		" AND deployment_platform IS NOT NULL AND id <> ? GROUP BY deployment_platform",
		append(args, except), func(r *sql.Rows) error {
			var name string
			var n int
			err := r.Scan(&name, &n)
			used[name] = n
			return err
		})
	return used, err
}

// admissionCapacity is capacityUsed for an admission. A group of creates
// (CreateAndAdmit) counts once and keeps the count as its own admissions
// take capacity: its bots are new and hold none, and only admissions,
// which wait for the group's lock, add to it.
func (s *db) admissionCapacity(ctx context.Context, botID int64, created *Bot) (map[string]int, error) {
	if s.groupClock == nil || created == nil {
		return s.capacityUsed(ctx, botID)
	}
	return maps.Clone(s.groupUsed), nil // counted by lockGroup
}

// CapacityUsed counts bots holding capacity, per platform.
func (s *db) CapacityUsed(ctx context.Context) (map[string]int, error) {
	return s.capacityUsed(ctx, 0)
}

// deployBot moves an admissible bot to DEPLOYING where placed, with its
// slot on a pooled platform, and drops its queue row (a SCHEDULED bot
// has none). A slot it held
// before (failing over) is released first. The guard repeats
// admissibleBot's conditions, since Transition and ClaimDeploys do not
// take the admission lock.
func (s *db) deployBot(ctx context.Context, b Bot, where placement, now time.Time, ev *Event) (Bot, *PoolSlot, error) {
	if s.holdDeploy(b, where, now, ev) {
		return b, nil, nil // written with the batch's next statement
	}
	out, stored, err := s.moveToDeploying(ctx, b, where.platform.Name, now, ev)
	if errors.Is(err, ErrNotFound) {
		return Bot{}, nil, ErrConflict
	}
	if err != nil {
		return Bot{}, nil, err
	}
	if b.PoolSlotID != nil {
		if err := s.releaseSlotOf(ctx, b.ID, now); err != nil {
			return Bot{}, nil, err
		}
	}
	out, slot, err := s.deploySlot(ctx, out, where, now)
	if err != nil {
		return Bot{}, nil, err
	}
	if err := s.admitted(ctx, b.Status, out, statusChange{now: now}); err != nil {
		return Bot{}, nil, err
	}
	switch {
	case stored != nil: // written with the move; its change after the bot's
		err = s.recordChange(ChangeEvent, out.UserID, out.ID, *stored)
	case ev != nil:
		err = s.InsertEvents(ctx, []Event{*ev})
	}
	return out, slot, err
}

// moveToDeploying changes the bot's status to DEPLOYING on platform and
// drops its queue row (a SCHEDULED bot has none): on PostgreSQL in one
// statement, the delete keyed on the updated row, so a bot the guard
// refuses keeps its place, and with the admission's event ev, when it has
// one, written by that statement too (returned as stored, its change not
// yet recorded). ErrNotFound when the guard refuses it.
func (s *db) moveToDeploying(ctx context.Context, b Bot, platform string, now time.Time, ev *Event) (out Bot, stored *Event, err error) {
	at := s.d.at(now)
	set := "UPDATE bots SET status = 'DEPLOYING', deployment_platform = ?, deploy_started_at = ?, " +
		"deploy_claim_holder = NULL, deploy_claim_until = NULL, updated_at = ? WHERE id = ? AND status = ? AND " + unclaimed +
		" RETURNING " + botCols
	args := []any{platform, at, at, b.ID, string(b.Status), at}
	if !s.d.postgres {
		if out, err = s.botRow(ctx, set, args...); err == nil && b.Status != api.StatusScheduled {
			_, err = s.exec(ctx, "DELETE FROM deployment_queue WHERE bot_id = ?", b.ID)
		}
		return out, nil, err
	}
	q := "WITH u AS (" + set + ")"
	if b.Status != api.StatusScheduled { // a SCHEDULED bot has no queue row to drop
		q += ", d AS (DELETE FROM deployment_queue WHERE bot_id IN (SELECT id FROM u))"
	}
	if ev == nil {
		out, err = s.botRow(ctx, q+" SELECT * FROM u", args...)
		return out, nil, err
	}
	eq, eargs, stored, dest := s.eventWith(*ev, now)
	out, err = s.botRowWith(ctx, dest, q+eq, append(args, eargs...)...)
	if err != nil {
		return Bot{}, nil, err
	}
	return out, stored, nil
}

// admitted records what an admission changed: the bot's webhooks and its
// new state for the streams.
func (s *db) admitted(ctx context.Context, from api.BotStatus, b Bot, c statusChange) error {
	c.from = from
	if err := s.statusChanged(ctx, b, c); err != nil {
		return err
	}
	return s.botChanged(b)
}
