package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Transition moves a bot along the transition table with a guarded UPDATE
// ("... WHERE status IN (sources)"), so a racing writer cannot slip an
// illegal change past the check; everything the new status implies (end
// time, queue row, pool slot, event) is written in the same transaction.
func (s *db) Transition(ctx context.Context, p TransitionParams) (Bot, error) {
	if err := checkTransition(p); err != nil {
		return Bot{}, err
	}
	var out Bot
	err := s.tx(ctx, func(t *db) error {
		if p.To == api.StatusDeploying {
			// Entering DEPLOYING takes capacity: serialise with Admit.
			if err := t.lockAdmission(ctx); err != nil {
				return err
			}
		}
		b, err := t.transition(ctx, p)
		out = b
		return err
	})
	return out, err
}

// checkTransition refuses a transition the table cannot make.
func checkTransition(p TransitionParams) error {
	if !p.To.Valid() {
		return fmt.Errorf("store: transition to unknown status %q", p.To)
	}
	if p.To.Terminal() && p.Reason == "" {
		return fmt.Errorf("store: transition to %s needs a reason", p.To)
	}
	return nil
}

// EndAndAdmit ends a bot and admits the queue into what it freed, under
// the admission lock taken first (the order every admission takes it and
// the rows in, so the two cannot deadlock).
func (s *db) EndAndAdmit(ctx context.Context, p TransitionParams, q AdmitQueuedParams) (Bot, []Bot, error) {
	if err := checkTransition(p); err != nil {
		return Bot{}, nil, err
	}
	if !p.To.Terminal() {
		return Bot{}, nil, fmt.Errorf("store: EndAndAdmit to %s, which does not end the bot", p.To)
	}
	var ended Bot
	var admitted []Bot
	err := s.admissionCounting(ctx, &q.Now, func(t *db, used map[string]int) (err error) {
		var from api.BotStatus
		if from, ended, err = t.transitionFrom(ctx, p); err != nil {
			return err
		}
		// Counted before the end: the capacity the bot held is free now.
		// A bot can have come to hold capacity only by an admission,
		// which waits for this one, so it held it when counted.
		if from.HoldsCapacity() && ended.DeploymentPlatform != "" && used[ended.DeploymentPlatform] > 0 {
			used[ended.DeploymentPlatform]--
		}
		admitted, err = t.admitQueued(ctx, q, used)
		return err
	})
	if err != nil {
		return Bot{}, nil, err
	}
	return ended, admitted, nil
}

// transition is Transition inside a transaction. The bot's row is locked
// first, so the status it moves from (which its webhooks name) is the one
// the guarded update replaces.
func (s *db) transition(ctx context.Context, p TransitionParams) (Bot, error) {
	_, b, err := s.transitionFrom(ctx, p)
	return b, err
}

// transitionFrom is transition that also tells the status the bot left.
func (s *db) transitionFrom(ctx context.Context, p TransitionParams) (api.BotStatus, Bot, error) {
	from, b, stored, err := s.transitionRow(ctx, p)
	if err != nil {
		return "", Bot{}, err
	}
	if err := s.afterTransition(ctx, from, b, p, stored); err != nil {
		return "", Bot{}, err
	}
	return from, b, nil
}

// transitionRow makes the guarded update of the bot's row and tells the
// status it replaced. On PostgreSQL one statement locks the row, reads its
// status, updates it and writes the transition's event, if it has one
// (returned as stored, its change not yet recorded): the locking
// sub-select reads the newest version, which the update's guard is
// checked against too, and the event is written only for a row the guard
// let through. SQLite reads first, as its one writer already excludes
// every other, and leaves the event to afterTransition. ErrConflict when
// the guard refuses, ErrNotFound when there is no such bot.
func (s *db) transitionRow(ctx context.Context, p TransitionParams) (from api.BotStatus, b Bot, stored *Event, err error) {
	sources := transitionSources(p.To, p.From)
	set := s.transitionSet(p)
	guard, gargs := statusIn("status", sources)
	args := append(append(set.args, p.BotID), gargs...)
	if s.d.postgres {
		q := "UPDATE bots SET " + set.String() +
			" FROM (SELECT id AS locked_id, status AS old_status FROM bots WHERE id = ? FOR UPDATE) l " +
			"WHERE bots.id = l.locked_id AND " + guard + " RETURNING " + botCols + ", l.old_status"
		extra := []any{&from}
		if p.Event != nil {
			eq, eargs, ev, dest := s.eventWith(*p.Event, p.Now)
			q, args, extra, stored = "WITH u AS ("+q+")"+eq, append(args, eargs...), append(extra, dest...), ev
		}
		b, err = s.botRowWith(ctx, extra, q, args...)
		if errors.Is(err, ErrNotFound) {
			err = s.missingOr(ctx, "SELECT count(*) FROM bots WHERE id = ?", p.BotID)
		}
		if err != nil {
			return "", Bot{}, nil, err
		}
		return from, b, stored, nil
	}
	if from, err = s.lockStatus(ctx, p.BotID); err != nil {
		return "", Bot{}, nil, err
	}
	if !slices.Contains(sources, from) {
		return "", Bot{}, nil, ErrConflict
	}
	b, err = s.botRow(ctx, "UPDATE bots SET "+set.String()+" WHERE id = ? AND "+guard+" RETURNING "+botCols, args...)
	if errors.Is(err, ErrNotFound) {
		err = ErrConflict
	}
	return from, b, nil, err
}

// lockStatus reads a bot's status, locking its row until the transaction
// ends (PostgreSQL; SQLite's one writer already excludes every other).
func (s *db) lockStatus(ctx context.Context, id int64) (api.BotStatus, error) {
	var st api.BotStatus
	err := s.get(ctx, "SELECT status FROM bots WHERE id = ?"+s.d.forUpdate(), []any{id}, &st)
	return st, err
}

// transitionSources is api.SourcesOf(to), narrowed to from when given.
func transitionSources(to api.BotStatus, from []api.BotStatus) []api.BotStatus {
	sources := api.SourcesOf(to)
	if len(from) == 0 {
		return sources
	}
	return slices.DeleteFunc(sources, func(st api.BotStatus) bool { return !slices.Contains(from, st) })
}

// transitionSet is the SET list for moving to p.To.
func (s *db) transitionSet(p TransitionParams) *setList {
	now := s.d.at(p.Now)
	set := &setList{}
	set.add("status = ?", string(p.To))
	set.add("updated_at = ?", now)
	switch {
	case p.To.Live():
		set.add("joined_at = COALESCE(joined_at, ?)", now)
	case p.To == api.StatusDeploying:
		set.add("deploy_started_at = CASE WHEN status = 'DEPLOYING' THEN deploy_started_at ELSE ? END", now)
	case p.To == api.StatusQueued:
		set.add("queued_at = COALESCE(queued_at, ?)", now)
		set.add("deployment_platform = NULL, deploy_claim_holder = NULL, deploy_claim_until = NULL")
	case p.To.Terminal():
		set.add("ended_at = ?, end_reason = ?, end_detail = ?", now, p.Reason, p.Detail)
		set.add("deploy_claim_holder = NULL, deploy_claim_until = NULL")
		if p.RecordingKey != "" {
			set.add("recording_key = ?", p.RecordingKey)
		}
		if len(p.SpeakerTimeframes) > 0 {
			set.add("speaker_timeframes = ?", string(p.SpeakerTimeframes))
		}
	}
	return set
}

// afterTransition keeps the queue, the pool, the webhook outbox, the
// event log and the change feed in step with the bot's new status. stored
// is the transition's event when transitionRow wrote it already.
func (s *db) afterTransition(ctx context.Context, from api.BotStatus, b Bot, p TransitionParams, stored *Event) error {
	if p.To == api.StatusQueued {
		if err := s.enqueueBot(ctx, b, p.Now); err != nil {
			return err
		}
	} else if from == api.StatusQueued { // only a queued bot has a queue row
		if _, err := s.exec(ctx, "DELETE FROM deployment_queue WHERE bot_id = ?", b.ID); err != nil {
			return err
		}
	}
	// A slot is assigned in the transaction that sets the bot's
	// pool_slot_id: a bot without one holds no slot.
	if (p.To.Terminal() || p.To == api.StatusQueued) && b.PoolSlotID != nil {
		if err := s.releaseSlotOf(ctx, b.ID, p.Now); err != nil {
			return err
		}
	}
	sub := p.SubCode
	if sub == "" && p.To.Terminal() {
		sub = p.Reason
	}
	if err := s.statusChanged(ctx, b, statusChange{from: from, subCode: sub, detail: p.Detail, now: p.Now}); err != nil {
		return err
	}
	if err := s.botChanged(b); err != nil {
		return err
	}
	if stored != nil {
		return s.recordChange(ChangeEvent, b.UserID, b.ID, *stored)
	}
	if p.Event == nil {
		return nil
	}
	ev := *p.Event
	ev.BotID = b.ID
	return s.InsertEvents(ctx, []Event{withEventTimes(ev, p.Now)})
}

// withEventTimes fills an event's times from now when unset.
func withEventTimes(ev Event, now time.Time) Event {
	if ev.Time.IsZero() {
		ev.Time = now
	}
	if ev.CreatedAt.IsZero() {
		ev.CreatedAt = now
	}
	return ev
}
