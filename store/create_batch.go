package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// createAdmitBatched is a group's run without savepoints on PostgreSQL in
// fewer statements, each a round trip made under the admission lock: one
// INSERT writes each run of consecutive creates that no check reading the
// group's own writes could refuse, and the moves of their admissions are
// written together (see moveBatch). The group's order holds: a create
// that needs such a check waits for the run before it, and runs alone as
// in the plain run. Any failure after a write sends the group, like the
// plain run's, to the run with savepoints.
func (s *db) createAdmitBatched(ctx context.Context, items []CreateAdmit, out []CreateAdmitted) error {
	mb := &moveBatch{executor: s.ex, t: s}
	s.ex = mb
	defer func() { s.ex = mb.executor }()
	var err error
	if s.early(items) {
		err = s.createEarly(ctx, items, out)
	} else {
		err = s.createInRuns(ctx, items, out)
	}
	if err != nil {
		return err
	}
	if err := mb.flush(ctx); err != nil {
		return errNeedSavepoints
	}
	return nil
}

// readsOwnersCreates reports a create whose checks count or match its
// owner's other creates (a daily quota, a duplicate window), and so must
// see those the group wrote before it, under the owner's quota lock.
func (p NewBot) readsOwnersCreates() bool {
	return p.DailyLimit != nil || (p.DedupWindow > 0 && p.DedupKey != "")
}

// early reports a group whose bots may be written before it takes the
// admission lock: plain creates only (no quota, no duplicate window, no
// reservation or lobby row), while the last admission saw no concurrency
// cap set. A cap set since refuses a create only after the write, and
// the group runs again with savepoints.
func (s *db) early(items []CreateAdmit) bool {
	if s.capsSeen.Load() {
		return false
	}
	for _, it := range items {
		if it.New.readsOwnersCreates() || it.New.Reserve != nil || it.New.LobbyNudgeAfter > 0 {
			return false
		}
	}
	return true
}

// createEarly writes a group's bots with one INSERT before it takes the
// admission lock, so that round trip is made while the group before may
// still hold the lock, not under it: writing SCHEDULED bots decides
// nothing the lock guards. The cap checks wait for the lock, each before
// its create's admission.
func (s *db) createEarly(ctx context.Context, items []CreateAdmit, out []CreateAdmitted) error {
	return s.createRun(ctx, items, out, func() error { return s.lockGroup(ctx, items) })
}

// createInRuns takes the group's locks, then writes and admits its creates
// in runs of batchable ones, each create that is not running alone.
func (s *db) createInRuns(ctx context.Context, items []CreateAdmit, out []CreateAdmitted) error {
	if err := s.lockGroup(ctx, items); err != nil {
		return err
	}
	run := 0 // the first create of the run not yet written
	for i, it := range items {
		if s.batchable(it) {
			continue
		}
		if err := s.createRun(ctx, items[run:i], out[run:i], nil); err != nil {
			return err
		}
		run = i + 1
		if refused, err := s.createAdmitOne(ctx, it, &out[i]); err != nil && !refused {
			return errNeedSavepoints
		}
	}
	return s.createRun(ctx, items[run:], out[run:], nil)
}

// batchable reports a create whose checks read nothing the group's
// earlier creates may have written: no daily quota, no duplicate window,
// and no concurrency cap anywhere (the admission clock's memo).
func (s *db) batchable(it CreateAdmit) bool {
	noCaps := s.caps != nil && !*s.caps
	return !it.New.readsOwnersCreates() && (!it.New.RefuseOverCap || noCaps)
}

// createRun writes a run of creates that no quota or duplicate check
// refuses with one INSERT, calls locked (when given) to take the group's
// locks, and admits them in order: each its concurrency cap checked (no
// read where none is set, as the admission clock's memo tells), its lobby
// row and booking written, its first state recorded for the streams.
func (s *db) createRun(ctx context.Context, items []CreateAdmit, out []CreateAdmitted, locked func() error) error {
	if len(items) == 0 {
		return nil
	}
	nbs := make([]NewBot, len(items))
	for i, it := range items {
		nbs[i] = it.New
		if err := checkStatus(&nbs[i]); err != nil {
			out[i].Err = err
			return errNeedSavepoints
		}
	}
	bots, err := s.insertBots(ctx, nbs)
	if err != nil {
		return errNeedSavepoints
	}
	if locked != nil {
		if err := locked(); err != nil {
			return err
		}
	}
	for i, it := range items {
		if err := s.checkCapAtCreate(ctx, nbs[i]); err != nil {
			out[i].Err = err
			return errNeedSavepoints // written already: undone with the group
		}
		if err := s.scheduleNew(ctx, bots[i], nbs[i]); err != nil {
			out[i].Err = err
			return errNeedSavepoints
		}
		if err := s.botChanged(bots[i]); err != nil {
			return err
		}
		if err := s.admitCreated(ctx, it, bots[i], &out[i]); err != nil {
			return errNeedSavepoints
		}
	}
	return nil
}

// insertBots writes new bots with one INSERT and returns them in the
// order given: PostgreSQL numbers a VALUES list's rows in its order.
func (s *db) insertBots(ctx context.Context, ps []NewBot) ([]Bot, error) {
	var q strings.Builder
	q.WriteString(insertBotSQL)
	args := make([]any, 0, len(ps)*strings.Count(insertBotRow, "?"))
	for i, p := range ps {
		a, err := s.insertBotArgs(p)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(insertBotRow)
		args = append(args, a...)
	}
	q.WriteString(" RETURNING " + botCols)
	bots, err := s.botsOn(ctx, s.ex, len(ps), q.String(), args...)
	if err != nil {
		return nil, err
	}
	if len(bots) != len(ps) {
		return nil, fmt.Errorf("store: insert of %d bots returned %d", len(ps), len(bots))
	}
	slices.SortFunc(bots, func(a, b Bot) int { return cmp.Compare(a.ID, b.ID) })
	return bots, nil
}
