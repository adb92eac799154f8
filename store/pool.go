package store

import (
	"context"
	"database/sql"
)

const slotCols = "id, platform, meeting_platform, slot_number, name, application_uuid, status, assigned_bot_id, token_hash, " +
	"last_used_at, error_message, recovery_attempts, claim_holder, claim_until, created_at, updated_at"

func scanSlot(r interface{ Scan(...any) error }, x *PoolSlot) error {
	*x = PoolSlot{}
	return r.Scan(&x.ID, &x.Platform, &x.MeetingPlatform, &x.Number, &x.Name, strCol{&x.ApplicationUUID}, &x.Status,
		idCol{&x.AssignedBotID}, &x.TokenHash, nullTimeCol{&x.LastUsedAt}, &x.ErrorMessage, &x.RecoveryAttempts,
		strCol{&x.LeaseHolder}, nullTimeCol{&x.LeaseUntil}, timeCol{&x.CreatedAt}, timeCol{&x.UpdatedAt})
}

func (s *db) slotRow(ctx context.Context, q string, args ...any) (PoolSlot, error) {
	var x PoolSlot
	err := mapErr(scanSlot(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &x))
	return x, err
}

func (s *db) slots(ctx context.Context, q string, args ...any) ([]PoolSlot, error) {
	return collect(ctx, s, q, args, func(r *sql.Rows, x *PoolSlot) error { return scanSlot(r, x) })
}

// CreatePoolSlot stores a slot; Status defaults to IDLE, Number to the
// next one, UpdatedAt to CreatedAt.
func (s *db) CreatePoolSlot(ctx context.Context, x PoolSlot) (PoolSlot, error) {
	if x.Status == "" {
		x.Status = SlotIdle
	}
	if x.UpdatedAt.IsZero() {
		x.UpdatedAt = x.CreatedAt
	}
	var bot any
	if x.AssignedBotID != nil {
		bot = *x.AssignedBotID
	}
	var out PoolSlot
	err := s.tx(ctx, func(t *db) error {
		if x.Number == 0 {
			n, err := t.freeSlotNumber(ctx, x.Platform, x.MeetingPlatform)
			if err != nil {
				return err
			}
			x.Number = n
		}
		var err error
		out, err = t.slotRow(ctx, "INSERT INTO pool_slots (platform, meeting_platform, slot_number, name, application_uuid, status, "+
			"assigned_bot_id, token_hash, last_used_at, error_message, recovery_attempts, created_at, updated_at) "+
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "+slotCols,
			x.Platform, x.MeetingPlatform, x.Number, x.Name, nullStr(x.ApplicationUUID), x.Status, bot, x.TokenHash,
			t.d.atp(x.LastUsedAt), x.ErrorMessage, x.RecoveryAttempts, t.d.at(x.CreatedAt), t.d.at(x.UpdatedAt))
		return err
	})
	return out, err
}

// freeSlotNumber is the smallest number not taken in the platform and
// meeting platform: a slot deleted leaves a gap the next one fills, as the
// original server numbered them.
func (s *db) freeSlotNumber(ctx context.Context, platform, meeting string) (int, error) {
	taken, err := s.ids(ctx, "SELECT slot_number FROM pool_slots WHERE platform = ? AND meeting_platform = ? ORDER BY slot_number",
		platform, meeting)
	if err != nil {
		return 0, err
	}
	n := int64(1)
	for _, t := range taken {
		if t > n {
			break
		}
		n = t + 1
	}
	return int(n), nil
}

// GetPoolSlot reads one slot.
func (s *db) GetPoolSlot(ctx context.Context, id int64) (PoolSlot, error) {
	return s.slotRow(ctx, "SELECT "+slotCols+" FROM pool_slots WHERE id = ?", id)
}

// PoolSlotByApp finds a slot by its application.
func (s *db) PoolSlotByApp(ctx context.Context, appUUID string) (PoolSlot, error) {
	return s.slotRow(ctx, "SELECT "+slotCols+" FROM pool_slots WHERE application_uuid = ?", appUUID)
}

// PoolSlotByToken finds a slot by its agent token's hash; an empty hash
// matches nothing.
func (s *db) PoolSlotByToken(ctx context.Context, hash string) (PoolSlot, error) {
	if hash == "" {
		return PoolSlot{}, ErrNotFound
	}
	return s.slotRow(ctx, "SELECT "+slotCols+" FROM pool_slots WHERE token_hash = ?", hash)
}

// ListPoolSlots lists the slots of one platform, or of all with "".
func (s *db) ListPoolSlots(ctx context.Context, platform string) ([]PoolSlot, error) {
	q, args := "SELECT "+slotCols+" FROM pool_slots", []any{}
	if platform != "" {
		q, args = q+" WHERE platform = ?", append(args, platform)
	}
	return s.slots(ctx, q+" ORDER BY id", args...)
}

// DeletePoolSlot removes a slot no bot holds.
func (s *db) DeletePoolSlot(ctx context.Context, id int64) error {
	n, err := s.exec(ctx, "DELETE FROM pool_slots WHERE id = ? AND assigned_bot_id IS NULL", id)
	if err == nil && n == 0 {
		err = s.missingOr(ctx, "SELECT count(*) FROM pool_slots WHERE id = ?", id)
	}
	return err
}
