package store

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"
)

// CreateAndAdmit stores and admits a group of new bots in one transaction.
// The locks are taken at the top of the transaction, before any savepoint,
// so a create rolled back to its savepoint cannot release them: the quota
// locks of the owners that need one, in user order and before the
// admission lock as a lone create takes them (no two orders, no deadlock),
// then the admission lock and clock once for the whole group.
func (s *db) CreateAndAdmit(ctx context.Context, items []CreateAdmit, written func()) ([]CreateAdmitted, error) {
	out := make([]CreateAdmitted, len(items))
	done := func() {
		if written != nil {
			written()
		}
	}
	if len(items) == 1 { // the transaction is the item's: no savepoint
		err := s.tx(ctx, func(t *db) error {
			_, err := t.createAdmitOne(ctx, items[0], &out[0])
			if err == nil {
				done()
			}
			return err
		})
		if err != nil && out[0].Err == nil {
			return nil, err // the commit failed
		}
		return out, nil
	}
	run := func(savepoints bool) error {
		return s.tx(ctx, func(t *db) error {
			err := t.createAdmitGroup(ctx, items, out, savepoints)
			if err == nil {
				done()
			}
			return err
		})
	}
	err := run(false)
	if errors.Is(err, errNeedSavepoints) {
		clear(out)
		err = run(true)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errNeedSavepoints ends a group run without savepoints in which a create
// failed after writing: the group is run again with one per create.
var errNeedSavepoints = errors.New("store: a create of the group failed after writing")

// createAdmitGroup runs the group's creates in one transaction. Most
// creates succeed, or are refused by a check before they write anything,
// so the first run takes no savepoints (one round trip fewer per create);
// a create that fails after writing sends the group to a second run in
// which each create has its own savepoint, and a failure rolls back that
// create alone.
func (s *db) createAdmitGroup(ctx context.Context, items []CreateAdmit, out []CreateAdmitted, savepoints bool) error {
	if !savepoints && s.d.postgres {
		return s.createAdmitBatched(ctx, items, out)
	}
	if err := s.lockGroup(ctx, items); err != nil {
		return err
	}
	for i, it := range items {
		if !savepoints {
			if refused, err := s.createAdmitOne(ctx, it, &out[i]); err != nil && !refused {
				return errNeedSavepoints
			}
			continue
		}
		// No RELEASE: savepoints of one name nest, ROLLBACK TO goes to
		// the newest, and the commit releases them all; one round trip
		// fewer per create.
		if _, err := s.exec(ctx, "SAVEPOINT create_admit"); err != nil {
			return err
		}
		m := s.mark()
		if _, err := s.createAdmitOne(ctx, it, &out[i]); err == nil {
			continue
		}
		if _, err := s.exec(ctx, "ROLLBACK TO SAVEPOINT create_admit"); err != nil {
			return err
		}
		s.rollBackTo(m)
	}
	return nil
}

// lockGroup takes the group's locks and its one admission time: the latest
// of the items' clocks, advanced to the admission clock; and counts the
// capacity in use, which only admissions, held off by the lock, add to.
func (s *db) lockGroup(ctx context.Context, items []CreateAdmit) error {
	var users []int64
	var now time.Time
	for _, it := range items {
		if it.New.readsOwnersCreates() {
			users = append(users, it.New.Bot.UserID)
		}
		if it.Admit.Now.After(now) {
			now = it.Admit.Now
		}
	}
	slices.Sort(users)
	for _, u := range slices.Compact(users) {
		if err := s.lockQuota(ctx, u); err != nil {
			return err
		}
	}
	if err := s.lockAdmission(ctx); err != nil {
		return err
	}
	used := map[string]int{}
	clock, err := s.admissionClock(ctx, now, &used)
	if err != nil {
		return err
	}
	s.groupClock, s.groupUsed = &clock, used
	return nil
}

// createAdmitOne is one create and its admission, as a lone create makes
// them; an error is also recorded in out. refused reports a create that
// checkCreate refused before it wrote anything.
func (s *db) createAdmitOne(ctx context.Context, it CreateAdmit, out *CreateAdmitted) (refused bool, err error) {
	nb := it.New
	if err := s.checkCreate(ctx, &nb); err != nil {
		out.Err = err
		return isRefusal(err), err
	}
	b, err := s.createRows(ctx, nb)
	if err != nil {
		out.Err = err
		return false, err
	}
	return false, s.admitCreated(ctx, it, b, out)
}

// admitCreated admits the bot a create wrote, recording the outcome in
// out. In a batch of moves (see moveBatch), a move held back fills in out
// when it is written.
func (s *db) admitCreated(ctx context.Context, it CreateAdmit, b Bot, out *CreateAdmitted) error {
	p := it.Admit
	p.BotID, p.Created = b.ID, &b
	if mb, ok := s.ex.(*moveBatch); ok {
		mb.target = out
		defer func() { mb.target = nil }()
	}
	res, err := s.Admit(ctx, p)
	out.Bot, out.Result = b, res
	if err != nil {
		out.Err, out.AdmitFailed = err, true
	}
	return err
}

// txMark is how much a transaction had recorded for after its commit,
// and the group's capacity count then.
type txMark struct {
	pending, touched int
	used             map[string]int
}

func (s *db) mark() txMark { return txMark{len(*s.pending), len(*s.touched), maps.Clone(s.groupUsed)} }

// rollBackTo forgets what was recorded after m, as ROLLBACK TO SAVEPOINT
// undid its writes; memos that writes may have changed are dropped.
func (s *db) rollBackTo(m txMark) {
	*s.pending = (*s.pending)[:m.pending]
	*s.touched = (*s.touched)[:m.touched]
	s.hooks, s.booked, s.groupUsed, s.clearUpTo = nil, nil, m.used, nil
}
