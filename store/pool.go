package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

const slotCols = "id, platform, meeting_platform, name, application_uuid, status, assigned_bot_id, token_hash, " +
	"last_used_at, error_message, recovery_attempts, created_at"

func scanSlot(r interface{ Scan(...any) error }, x *PoolSlot) error {
	var bot sql.NullInt64
	err := r.Scan(&x.ID, &x.Platform, &x.MeetingPlatform, &x.Name, &x.ApplicationUUID, &x.Status, &bot,
		&x.TokenHash, nullTimeCol{&x.LastUsedAt}, &x.ErrorMessage, &x.RecoveryAttempts, timeCol{&x.CreatedAt})
	x.AssignedBotID = nil
	if bot.Valid {
		x.AssignedBotID = &bot.Int64
	}
	return err
}

func (s *db) slotRow(ctx context.Context, q string, args ...any) (PoolSlot, error) {
	var x PoolSlot
	err := mapErr(scanSlot(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &x))
	return x, err
}

// CreatePoolSlot stores a slot; Status defaults to IDLE. A taken name or
// application uuid is ErrConflict.
func (s *db) CreatePoolSlot(ctx context.Context, x PoolSlot) (PoolSlot, error) {
	if x.Status == "" {
		x.Status = SlotIdle
	}
	var bot any
	if x.AssignedBotID != nil {
		bot = *x.AssignedBotID
	}
	return s.slotRow(ctx, "INSERT INTO pool_slots ("+slotCols[4:]+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "+slotCols,
		x.Platform, x.MeetingPlatform, x.Name, x.ApplicationUUID, x.Status, bot, x.TokenHash,
		s.d.atp(x.LastUsedAt), x.ErrorMessage, x.RecoveryAttempts, s.d.at(x.CreatedAt))
}

// ClaimPoolSlot assigns the least recently used idle slot (never used ones
// first) to a bot. Like DequeueChat it retries a statement that lost its
// race while idle slots remain. A bot that already has a slot gets
// ErrConflict.
func (s *db) ClaimPoolSlot(ctx context.Context, p ClaimSlotParams) (PoolSlot, error) {
	idle := "platform = ? AND meeting_platform = ? AND status = 'IDLE' AND assigned_bot_id IS NULL"
	q := "UPDATE pool_slots SET status = 'DEPLOYING', assigned_bot_id = ?, last_used_at = ? WHERE id = (SELECT id FROM pool_slots WHERE " +
		idle + " ORDER BY last_used_at IS NOT NULL, last_used_at, id LIMIT 1" + s.d.skipLocked() + ") AND status = 'IDLE' RETURNING " + slotCols
	for range dequeueTries {
		x, err := s.slotRow(ctx, q, p.BotID, s.d.at(p.Now), p.Platform, p.MeetingPlatform)
		if !errors.Is(err, ErrNotFound) {
			return x, err
		}
		left, err := s.exists(ctx, "SELECT count(*) FROM pool_slots WHERE "+idle, p.Platform, p.MeetingPlatform)
		if err != nil {
			return PoolSlot{}, err
		}
		if !left {
			return PoolSlot{}, ErrNotFound
		}
	}
	return PoolSlot{}, ErrConflict
}

// ReleasePoolSlot returns a bot's slot, if it has one, to IDLE. Releasing
// twice is harmless: a terminal Transition already releases the slot.
func (s *db) ReleasePoolSlot(ctx context.Context, botID int64, now time.Time) error {
	_, err := s.exec(ctx, "UPDATE pool_slots SET status = 'IDLE', assigned_bot_id = NULL, last_used_at = ? "+
		"WHERE assigned_bot_id = ?", s.d.at(now), botID)
	return err
}

// UpdatePoolSlot sets a slot's status and error message. ERROR counts a
// recovery attempt; IDLE and HEALTHY reset the count, and IDLE unassigns the
// slot.
func (s *db) UpdatePoolSlot(ctx context.Context, id int64, status, errMsg string) error {
	q := "UPDATE pool_slots SET status = ?, error_message = ?"
	switch status {
	case SlotError:
		q += ", recovery_attempts = recovery_attempts + 1"
	case SlotIdle:
		q += ", recovery_attempts = 0, assigned_bot_id = NULL"
	case SlotHealthy:
		q += ", recovery_attempts = 0"
	}
	n, err := s.exec(ctx, q+" WHERE id = ?", status, errMsg, id)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// ListPoolSlots lists the slots of one platform, or of all with "".
func (s *db) ListPoolSlots(ctx context.Context, platform string) ([]PoolSlot, error) {
	q, args := "SELECT "+slotCols+" FROM pool_slots", []any{}
	if platform != "" {
		q, args = q+" WHERE platform = ?", append(args, platform)
	}
	var out []PoolSlot
	err := s.each(ctx, q+" ORDER BY id", args, func(r *sql.Rows) error {
		var x PoolSlot
		err := scanSlot(r, &x)
		out = append(out, x)
		return err
	})
	return out, err
}

// DeletePoolSlot removes a slot.
func (s *db) DeletePoolSlot(ctx context.Context, id int64) error {
	n, err := s.exec(ctx, "DELETE FROM pool_slots WHERE id = ?", id)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}
