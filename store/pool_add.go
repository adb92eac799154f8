package store

import (
	"context"
	"errors"
)

// AddPoolSlots creates up to p.Count IDLE slots of a meeting platform
// under the admission lock, so slots added by an operator or the warm
// pool and slots created by admission together never exceed p.Pool.Max,
// whichever daemon adds them. Each takes the smallest free number.
func (s *db) AddPoolSlots(ctx context.Context, p AddPoolSlotsParams) ([]PoolSlot, error) {
	if p.Pool == nil || p.Pool.Name == nil || p.MeetingPlatform == "" || p.Platform == "" {
		return nil, errors.New("store: AddPoolSlots needs a platform, a meeting platform and a pool")
	}
	var out []PoolSlot
	err := s.admission(ctx, &p.Now, func(t *db) error {
		total, err := t.count(ctx, "SELECT count(*) FROM pool_slots WHERE platform = ?", p.Platform)
		if err != nil {
			return err
		}
		at := t.d.at(p.Now)
		for i := 0; i < p.Count && total+i < p.Pool.Max; i++ {
			n, err := t.freeSlotNumber(ctx, p.Platform, p.MeetingPlatform)
			if err != nil {
				return err
			}
			x, err := t.slotRow(ctx, "INSERT INTO pool_slots (platform, meeting_platform, slot_number, name, status, created_at, updated_at) "+
				"VALUES (?, ?, ?, ?, 'IDLE', ?, ?) RETURNING "+slotCols,
				p.Platform, p.MeetingPlatform, n, p.Pool.Name(p.MeetingPlatform, n), at, at)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		return nil
	})
	return out, err
}
