package trpc

import (
	"context"
	"errors"
)

// authenticate maps a token to an Identity. A missing token never reaches
// the Backend.
func (s *server) authenticate(ctx context.Context, token string) (Identity, error) {
	if token == "" {
		return Identity{}, newError(codeUnauthorized, "Missing %s header", TokenHeader)
	}
	id, err := s.backend.Authenticate(ctx, token)
	if errors.Is(err, ErrUnauthorized) {
		return Identity{}, newError(codeUnauthorized, "Invalid %s", TokenHeader)
	}
	return id, err
}

// authorizeBot refuses a bot token used for another bot. The refusal is
// FORBIDDEN rather than NOT_FOUND: the caller proved it is a bot of this
// daemon, and a clear code makes a misconfigured container easy to spot.
// Slot identities are left to the Backend, which knows the assignment.
func authorizeBot(id Identity, botID int64) error {
	switch {
	case id.All, id.SlotUUID != "":
		return nil
	case id.BotID != 0 && id.BotID == botID:
		return nil
	}
	return newError(codeForbidden, "Token is not valid for bot %d", botID)
}

// authorizeSlot refuses a slot lookup by anything but that slot's token.
func authorizeSlot(id Identity, slotUUID string) error {
	if id.All || (id.SlotUUID != "" && id.SlotUUID == slotUUID) {
		return nil
	}
	return newError(codeForbidden, "Token is not valid for pool slot %s", slotUUID)
}
