package store

import (
	"context"
	"errors"
	"fmt"
)

// DuplicateError refuses a bot for a meeting its owner already has a live
// bot for, created within the owner's window: BotID is that bot.
type DuplicateError struct{ BotID int64 }

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("bot %d is already live for this meeting", e.BotID)
}

// checkDuplicate refuses p when a live bot of the owner with its dedup key
// was created within the window. It runs under the owner's quota lock
// (PostgreSQL; SQLite's single writer serialises anyway), so of two
// concurrent creates for one meeting one sees the other.
func (s *db) checkDuplicate(ctx context.Context, p NewBot) error {
	if p.DedupWindow <= 0 || p.DedupKey == "" {
		return nil
	}
	if p.DailyLimit == nil { // checkQuota took the lock otherwise
		if err := s.lockQuota(ctx, p.Bot.UserID); err != nil {
			return err
		}
	}
	var id int64
	err := s.get(ctx, "SELECT id FROM bots WHERE user_id = ? AND dedup_key = ? AND created_at > ? AND status NOT IN ('DONE', 'FATAL') "+
		"ORDER BY id LIMIT 1", []any{p.Bot.UserID, p.DedupKey, s.d.at(p.Now.Add(-p.DedupWindow))}, &id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return &DuplicateError{BotID: id}
}

// checkCapAtCreate refuses a bot whose owner or key is at its cap already,
// when p asks for that.
func (s *db) checkCapAtCreate(ctx context.Context, p NewBot) error {
	if !p.RefuseOverCap {
		return nil
	}
	capped, err := s.overCap(ctx, Bot{UserID: p.Bot.UserID, ID: 0}, p.Now)
	if err == nil && capped == nil && p.APIKeyID != 0 {
		capped, err = s.keyCap(ctx, p.APIKeyID, 0)
	}
	if err != nil {
		return err
	}
	if capped != nil {
		return capped
	}
	return nil
}
