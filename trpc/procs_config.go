package trpc

import (
	"context"
	"errors"
)

// getConfig answers the config query of a one-shot bot, and the restart
// check every bot makes after a failed attempt.
func getConfig(ctx context.Context, s *server, id Identity, in botIDInput) (any, error) {
	botID := int64(in.BotID)
	if err := authorizeBot(id, botID); err != nil {
		return nil, err
	}
	return s.backend.BotConfig(ctx, id, botID)
}

// getSlotInput is infrastructure.coolify.pool.getSlot's input.
type getSlotInput struct {
	PoolSlotUUID string `json:"poolSlotUuid"`
}

func (in getSlotInput) validate() error {
	if in.PoolSlotUUID == "" {
		return errors.New("poolSlotUuid is required")
	}
	return maxLen("poolSlotUuid", in.PoolSlotUUID, maxShortText)
}

// getSlot answers a pool slot container's config query with the config of
// the bot assigned to the slot.
func getSlot(ctx context.Context, s *server, id Identity, in getSlotInput) (any, error) {
	if err := authorizeSlot(id, in.PoolSlotUUID); err != nil {
		return nil, err
	}
	return s.backend.SlotConfig(ctx, id, in.PoolSlotUUID)
}
