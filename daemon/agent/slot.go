package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// ErrNotAssigned answers a pool slot's token naming a bot the slot does
// not run (any longer): the slot token speaks for its current bot only.
var ErrNotAssigned = fmt.Errorf("%w: the pool slot does not run this bot", store.ErrNotFound)

// IsSlotToken reports whether a token is a pool slot's (written once into
// the slot's environment) rather than one bot's.
func IsSlotToken(token string) bool { return strings.HasPrefix(token, domain.SlotTokenPrefix) }

// AuthenticateSlot finds the pool slot a slot token was issued to.
func (s *Service) AuthenticateSlot(ctx context.Context, token string) (store.PoolSlot, error) {
	if !IsSlotToken(token) {
		return store.PoolSlot{}, ErrBadToken
	}
	x, err := s.store.PoolSlotByToken(ctx, domain.HashSecret(token))
	return x, authError(err, ErrBadToken)
}

// SlotBot is the state of the bot a slot runs now, read afresh: NotFound
// when the slot is idle (a container restarted after its bot ended then
// exits), and the bot otherwise, whose Config refuses an ended bot.
func (s *Service) SlotBot(ctx context.Context, slot store.PoolSlot) (store.BotState, error) {
	x, err := s.store.GetPoolSlot(ctx, slot.ID)
	if err != nil {
		return store.BotState{}, authError(err, domain.NotFound("pool slot "+slot.ApplicationUUID))
	}
	if x.AssignedBotID == nil {
		return store.BotState{}, domain.NotFound("a bot assigned to pool slot " + x.ApplicationUUID)
	}
	return s.Bot(ctx, *x.AssignedBotID)
}

// SlotBotFor is the bot a slot's container names, when the slot runs it.
func (s *Service) SlotBotFor(ctx context.Context, slot store.PoolSlot, botID int64) (store.BotState, error) {
	st, err := s.SlotBot(ctx, slot)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return store.BotState{}, ErrNotAssigned
		}
		return store.BotState{}, err
	}
	if st.ID != botID {
		return store.BotState{}, ErrNotAssigned
	}
	return st, nil
}

// SlotByApp finds a slot by its application uuid (POOL_SLOT_UUID), for a
// caller holding the shared token, which may name any slot.
func (s *Service) SlotByApp(ctx context.Context, appUUID string) (store.PoolSlot, error) {
	x, err := s.store.PoolSlotByApp(ctx, appUUID)
	return x, authError(err, domain.NotFound("pool slot "+appUUID))
}
