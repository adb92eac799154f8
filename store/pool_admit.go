package store

import (
	"context"
	"errors"
	"slices"
	"time"
)

// placement is where admission puts a bot: a platform and, on a pooled
// one, the idle slot to take or the number of the slot to create.
type placement struct {
	platform PlatformLimit
	slotID   int64 // an idle slot to take, when set
	number   int   // else the number of a new slot, when pooled
}

// place picks the first platform, in order and not excluded, with room for
// a bot of the meeting platform; ok is false when none has. It runs under
// the admission lock, so the slot it picks and the pool size it counts
// cannot change before deploySlot uses them.
func (s *db) place(ctx context.Context, platforms []PlatformLimit, exclude []string, used map[string]int, meeting string, now time.Time) (placement, bool, error) {
	for _, pl := range platforms {
		if slices.Contains(exclude, pl.Name) || used[pl.Name] >= pl.Limit {
			continue
		}
		if pl.Pool == nil {
			return placement{platform: pl}, true, nil
		}
		p, ok, err := s.slotFor(ctx, pl, meeting, now)
		if err != nil || ok {
			return p, ok, err
		}
	}
	return placement{}, false, nil
}

// slotFor finds a pooled platform's slot for a meeting platform: the least
// recently used idle one, preferring those with an application (warm), or
// a new one while the pool is under its maximum. An idle slot someone
// leases (making its application, pulling its image, deleting it) is not
// handed out until the lease ends.
func (s *db) slotFor(ctx context.Context, pl PlatformLimit, meeting string, now time.Time) (placement, bool, error) {
	if meeting == "" {
		return placement{}, false, nil // no image to pick a slot by
	}
	ids, err := s.ids(ctx, "SELECT id FROM pool_slots WHERE platform = ? AND meeting_platform = ? AND status = 'IDLE' "+
		"AND assigned_bot_id IS NULL AND (claim_until IS NULL OR claim_until < ?) "+
		"ORDER BY application_uuid IS NULL, last_used_at IS NOT NULL, last_used_at, id LIMIT 1"+
		s.d.skipLocked(), pl.Name, meeting, s.d.at(now))
	if err != nil || len(ids) == 1 {
		return placement{platform: pl, slotID: first(ids)}, len(ids) == 1, err
	}
	total, err := s.count(ctx, "SELECT count(*) FROM pool_slots WHERE platform = ?", pl.Name)
	if err != nil || total >= pl.Pool.Max {
		return placement{}, false, err
	}
	n, err := s.freeSlotNumber(ctx, pl.Name, meeting)
	return placement{platform: pl, number: n}, err == nil, err
}

func first(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

// deploySlot gives the bot its slot on a pooled platform: the idle one,
// now DEPLOYING and assigned, or a new row. The bot's row records it.
func (s *db) deploySlot(ctx context.Context, b Bot, p placement, now time.Time) (Bot, *PoolSlot, error) {
	if p.platform.Pool == nil {
		return b, nil, nil
	}
	at := s.d.at(now)
	var x PoolSlot
	var err error
	if p.slotID != 0 {
		x, err = s.slotRow(ctx, "UPDATE pool_slots SET status = 'DEPLOYING', assigned_bot_id = ?, last_used_at = ?, updated_at = ? "+
			"WHERE id = ? AND status = 'IDLE' AND assigned_bot_id IS NULL AND (claim_until IS NULL OR claim_until < ?) RETURNING "+slotCols,
			b.ID, at, at, p.slotID, at)
	} else {
		name := p.platform.Pool.Name(b.Meeting.Platform, p.number)
		x, err = s.slotRow(ctx, "INSERT INTO pool_slots (platform, meeting_platform, slot_number, name, status, assigned_bot_id, "+
			"last_used_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'DEPLOYING', ?, ?, ?, ?) RETURNING "+slotCols,
			p.platform.Name, b.Meeting.Platform, p.number, name, b.ID, at, at, at)
	}
	if errors.Is(err, ErrNotFound) {
		err = ErrConflict // the idle slot was taken (deleted) outside admission
	}
	if err != nil {
		return Bot{}, nil, err
	}
	b, err = s.botRow(ctx, "UPDATE bots SET pool_slot_id = ? WHERE id = ? RETURNING "+botCols, x.ID, b.ID)
	return b, &x, err
}

// releaseSlotOf frees the slot a bot holds, when it ends or leaves the
// pooled platform: unassigned at once, RELEASING until the daemon has seen
// its application stopped; an ERROR slot stays ERROR for recovery.
func (s *db) releaseSlotOf(ctx context.Context, botID int64, now time.Time) error {
	at := s.d.at(now)
	_, err := s.exec(ctx, "UPDATE pool_slots SET assigned_bot_id = NULL, last_used_at = ?, updated_at = ?, "+
		"status = CASE WHEN status IN ('DEPLOYING', 'HEALTHY') THEN 'RELEASING' ELSE status END WHERE assigned_bot_id = ?",
		at, at, botID)
	return err
}
