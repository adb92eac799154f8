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
// group's own writes could refuse, and the moves of admissions to the
// queue are written together (see moveBatch). The group's order holds:
// a create that needs such a check waits for the run before it, and runs
// alone as in the plain run. Any failure after a write sends the group,
// like the plain run's, to the run with savepoints.
func (s *db) createAdmitBatched(ctx context.Context, items []CreateAdmit, out []CreateAdmitted) error {
	qb := &moveBatch{executor: s.ex, t: s}
	s.ex = qb
	defer func() { s.ex = qb.executor }()
	if s.early(items) {
		return s.createEarly(ctx, items, out)
	}
	if err := s.lockGroup(ctx, items); err != nil {
		return err
	}
	run := 0 // the first create of the run not yet written
	for i, it := range items {
		if s.batchable(it) {
			continue
		}
		if err := s.createRun(ctx, items[run:i], out[run:i]); err != nil {
			return err
		}
		run = i + 1
		if refused, err := s.createAdmitOne(ctx, it, &out[i]); err != nil && !refused {
			return errNeedSavepoints
		}
	}
	if err := s.createRun(ctx, items[run:], out[run:]); err != nil {
		return err
	}
	if err := qb.flush(ctx); err != nil {
		return errNeedSavepoints
	}
	return nil
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
		nb := it.New
		if nb.DailyLimit != nil || (nb.DedupWindow > 0 && nb.DedupKey != "") || nb.Reserve != nil || nb.LobbyNudgeAfter > 0 {
			return false
		}
	}
	return true
}

// createEarly writes a group's bots with one INSERT, then takes the
// admission lock and admits them in order: the INSERT's round trip is
// made while the group before may still hold the lock, not under it.
// Writing SCHEDULED bots decides nothing the lock guards.
func (s *db) createEarly(ctx context.Context, items []CreateAdmit, out []CreateAdmitted) error {
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
	if err := s.lockGroup(ctx, items); err != nil {
		return err
	}
	for i, it := range items {
		if err := s.checkCapAtCreate(ctx, nbs[i]); err != nil {
			out[i].Err = err
			return errNeedSavepoints // written already: undone with the group
		}
		if err := s.botChanged(bots[i]); err != nil {
			return err
		}
		if err := s.admitCreated(ctx, it, bots[i], &out[i]); err != nil {
			return errNeedSavepoints
		}
	}
	if err := s.ex.(*moveBatch).flush(ctx); err != nil {
		return errNeedSavepoints
	}
	return nil
}

// batchable reports a create whose checks read nothing the group's
// earlier creates may have written: no daily quota, no duplicate window,
// and no concurrency cap anywhere (the admission clock's memo).
func (s *db) batchable(it CreateAdmit) bool {
	nb := it.New
	noCaps := s.caps != nil && !*s.caps
	return nb.DailyLimit == nil && (nb.DedupWindow <= 0 || nb.DedupKey == "") && (!nb.RefuseOverCap || noCaps)
}

// createRun checks, inserts and admits a run of batchable creates, in order.
func (s *db) createRun(ctx context.Context, items []CreateAdmit, out []CreateAdmitted) error {
	var idx []int
	var nbs []NewBot
	for i, it := range items {
		nb := it.New
		if err := s.checkCreate(ctx, &nb); err != nil {
			out[i].Err = err
			if !isRefusal(err) {
				return errNeedSavepoints
			}
			continue
		}
		idx, nbs = append(idx, i), append(nbs, nb)
	}
	bots, err := s.insertBots(ctx, nbs)
	if err != nil {
		return errNeedSavepoints
	}
	for k, i := range idx {
		if err := s.scheduleNew(ctx, bots[k], nbs[k]); err != nil {
			out[i].Err = err
			return errNeedSavepoints
		}
		if err := s.botChanged(bots[k]); err != nil {
			return err
		}
		if err := s.admitCreated(ctx, items[i], bots[k], &out[i]); err != nil {
			return errNeedSavepoints
		}
	}
	return nil
}

// insertBots writes new bots with one INSERT and returns them in the
// order given: PostgreSQL numbers a VALUES list's rows in its order.
func (s *db) insertBots(ctx context.Context, ps []NewBot) ([]Bot, error) {
	if len(ps) == 0 {
		return nil, nil
	}
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
