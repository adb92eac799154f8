package trpcapi

import (
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/trpc"
)

// trpcError maps the services' errors to the protocol's sentinels: the
// one place where they become tRPC codes. A store that cannot answer, and
// anything unknown, stays unwrapped, which the protocol answers as
// INTERNAL_SERVER_ERROR: the bots retry it.
func trpcError(err error) error {
	var (
		inv *domain.InvalidError
		bad *domain.BadRequestError
		ee  *domain.EndedError
		te  *domain.TransitionError
		tl  *domain.TooLargeError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, agent.ErrBadToken):
		return fmt.Errorf("%w: %v", trpc.ErrUnauthorized, err)
	case errors.Is(err, store.ErrUnavailable):
		return err
	case errors.As(err, &ee):
		return fmt.Errorf("%w: Bot %d has already finished (status: %s). container should exit", trpc.ErrPreconditionFailed, ee.BotID, ee.Status)
	case errors.As(err, &inv):
		return fmt.Errorf("%w: %s", trpc.ErrBadRequest, inv.Error())
	case errors.As(err, &bad), errors.As(err, &tl):
		return fmt.Errorf("%w: %s", trpc.ErrBadRequest, err.Error())
	case errors.As(err, &te), errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w: %s", trpc.ErrConflict, err.Error())
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %s", trpc.ErrNotFound, err.Error())
	}
	return err
}
