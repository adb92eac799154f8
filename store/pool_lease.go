package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
)

// slotSources is the slot state machine: for each status, the statuses a
// slot may move to it from through UpdatePoolSlot. DEPLOYING is entered
// only through admission, RELEASING also through a bot's end.
var slotSources = map[string][]string{
	SlotHealthy:   {SlotDeploying},
	SlotError:     {SlotDeploying, SlotHealthy, SlotReleasing},
	SlotReleasing: {SlotDeploying, SlotHealthy},
	SlotIdle:      {SlotReleasing, SlotError},
}

// leaseFree matches a slot nobody leases, or one leased by the holder (its
// two placeholders: now, holder).
const leaseFree = "(claim_until IS NULL OR claim_until < ? OR claim_holder = ?)"

// LeasePoolSlots leases slots to one holder. As with ClaimDeploys, the
// sub-select skips rows another leaser holds on PostgreSQL and the single
// writer makes it atomic on SQLite; the outer condition repeats the lease
// test so a row leased between the two is left alone.
func (s *db) LeasePoolSlots(ctx context.Context, p LeasePoolSlotsParams) ([]PoolSlot, error) {
	if len(p.Statuses) == 0 {
		return nil, errors.New("store: LeasePoolSlots needs statuses")
	}
	now := s.d.at(p.Now)
	where := "platform = ? AND status IN (" + placeholders(len(p.Statuses)) + ") AND " + leaseFree
	args := []any{p.Platform}
	for _, st := range p.Statuses {
		args = append(args, st)
	}
	args = append(args, now, p.Holder)
	if p.ChangedBefore != nil {
		where, args = where+" AND updated_at < ?", append(args, s.d.at(*p.ChangedBefore))
	}
	if len(p.IDs) > 0 {
		where += " AND id IN (" + placeholders(len(p.IDs)) + ")"
		for _, id := range p.IDs {
			args = append(args, id)
		}
	}
	sub := "SELECT id FROM pool_slots WHERE " + where + " ORDER BY updated_at, id LIMIT ?" + s.d.skipLocked()
	all := append([]any{p.Holder, s.d.at(p.Now.Add(p.LeaseFor))}, args...)
	all = append(append(all, limit(p.Limit)), now, p.Holder)
	out, err := s.slots(ctx, "UPDATE pool_slots SET claim_holder = ?, claim_until = ? WHERE id IN ("+sub+") AND "+leaseFree+
		" RETURNING "+slotCols, all...)
	slices.SortFunc(out, func(a, b PoolSlot) int { return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), cmp.Compare(a.ID, b.ID)) })
	return out, err
}

// ReleasePoolSlotLease ends a holder's lease.
func (s *db) ReleasePoolSlotLease(ctx context.Context, id int64, holder string) error {
	n, err := s.exec(ctx, "UPDATE pool_slots SET claim_holder = NULL, claim_until = NULL WHERE id = ? AND claim_holder = ?", id, holder)
	if err == nil && n == 0 {
		err = s.missingOr(ctx, "SELECT count(*) FROM pool_slots WHERE id = ?", id)
	}
	return err
}

// leaseGuard is the condition an update under p's lease needs, and its
// arguments: the holder's live lease, or no live lease at all.
func (s *db) leaseGuard(holder string, now any) (string, []any) {
	if holder != "" {
		return "claim_holder = ? AND claim_until >= ?", []any{holder, now}
	}
	return "(claim_until IS NULL OR claim_until < ?)", []any{now}
}

// SetPoolSlotApp records a slot's application and token under a lease.
func (s *db) SetPoolSlotApp(ctx context.Context, p SetPoolSlotAppParams) (PoolSlot, error) {
	now := s.d.at(p.Now)
	guard, gargs := s.leaseGuard(p.Holder, now)
	args := append([]any{nullStr(p.AppUUID), p.TokenHash, p.TokenHash, now, p.ID}, gargs...)
	x, err := s.slotRow(ctx, "UPDATE pool_slots SET application_uuid = ?, token_hash = CASE WHEN ? = '' THEN token_hash ELSE ? END, "+
		"updated_at = ? WHERE id = ? AND "+guard+" RETURNING "+slotCols, args...)
	if errors.Is(err, ErrNotFound) {
		err = s.missingOr(ctx, "SELECT count(*) FROM pool_slots WHERE id = ?", p.ID)
	}
	return x, err
}

// UpdatePoolSlot moves a slot along slotSources with one guarded UPDATE,
// so a racing writer cannot slip an illegal move past the check.
func (s *db) UpdatePoolSlot(ctx context.Context, p UpdatePoolSlotParams) (PoolSlot, error) {
	sources, ok := slotSources[p.To]
	if !ok {
		return PoolSlot{}, fmt.Errorf("%w: a slot cannot be moved to %q", ErrConflict, p.To)
	}
	now := s.d.at(p.Now)
	set, args := "status = ?, updated_at = ?, claim_holder = NULL, claim_until = NULL", []any{p.To, now}
	switch p.To {
	case SlotIdle:
		set, args = set+", assigned_bot_id = NULL, error_message = '', last_used_at = ?", append(args, now)
	case SlotHealthy:
		set += ", error_message = '', recovery_attempts = 0"
	case SlotError:
		set, args = set+", error_message = ?, recovery_attempts = recovery_attempts + 1", append(args, p.Error)
	case SlotReleasing:
		set, args = set+", assigned_bot_id = NULL, last_used_at = ?", append(args, now)
	}
	guard, gargs := s.leaseGuard(p.Holder, now)
	args = append(args, p.ID)
	for _, st := range sources {
		args = append(args, st)
	}
	x, err := s.slotRow(ctx, "UPDATE pool_slots SET "+set+" WHERE id = ? AND status IN ("+placeholders(len(sources))+") AND "+guard+
		" RETURNING "+slotCols, append(args, gargs...)...)
	if errors.Is(err, ErrNotFound) {
		err = s.missingOr(ctx, "SELECT count(*) FROM pool_slots WHERE id = ?", p.ID)
	}
	return x, err
}
