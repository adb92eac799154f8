package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Owned loads a bot of userID; any other bot is not found.
func (s *Service) Owned(ctx context.Context, userID, botID int64) (store.Bot, error) {
	b, err := s.store.GetUserBot(ctx, userID, botID)
	return b, domain.NotFoundIf(err, "bot")
}

// Leave asks a bot to leave its call. A bot that has not started is
// cancelled instead; a bot already leaving or ended is returned unchanged.
func (s *Service) Leave(ctx context.Context, b store.Bot) (store.Bot, error) {
	switch {
	case b.Status == api.StatusScheduled || b.Status == api.StatusQueued ||
		(b.Status == api.StatusDeploying && b.PlatformID == ""):
		return s.Cancel(ctx, b)
	case b.Status == api.StatusLeaving || b.Status == api.StatusCallEnded:
		return b, nil
	case b.Status.Terminal():
		return b, &domain.TransitionError{From: b.Status, To: api.StatusLeaving}
	}
	return s.Transition(ctx, store.TransitionParams{
		BotID: b.ID, To: api.StatusLeaving, From: []api.BotStatus{b.Status},
		Event: &store.Event{BotID: b.ID, Type: "USER_REMOVED_FROM_CALL", Data: json.RawMessage(`{"description":"removed from the call by request"}`)},
	})
}

// cancellable are the statuses from which cancel ends a bot; later, the bot
// is in the call and must be asked to leave.
var cancellable = []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDeploying, api.StatusJoiningCall}

// Cancel ends a bot that has not joined its call: it leaves the queue for
// good and any started resource is stopped.
func (s *Service) Cancel(ctx context.Context, b store.Bot) (store.Bot, error) {
	out, err := s.Transition(ctx, store.TransitionParams{
		BotID: b.ID, To: api.StatusDone, From: cancellable, Reason: api.ReasonCancelled,
		Event: &store.Event{BotID: b.ID, Type: "USER_CANCELLED_DEPLOYMENT", Data: json.RawMessage(`{"description":"cancelled by request"}`)},
	})
	var te *domain.TransitionError
	if errors.As(err, &te) {
		te.Hint = "a bot in the call is removed with leave"
	}
	return out, err
}

// Delete removes a bot that has ended or not started, with its events,
// logs, chat and screenshots. A bot not started is cancelled first.
func (s *Service) Delete(ctx context.Context, b store.Bot) error {
	var err error
	if b.Status == api.StatusScheduled || b.Status == api.StatusQueued {
		if b, err = s.Cancel(ctx, b); err != nil {
			return err
		}
	}
	if !b.Status.Terminal() {
		return domain.Conflict("a %s bot is running; leave or cancel it first", b.Status)
	}
	// The blobs go first: if that fails the bot is still there to delete
	// again, rather than leaving objects no row leads to.
	if s.blobs != nil {
		if err := s.blobs.DeleteBot(ctx, b.ID, b.RecordingKey); err != nil {
			return fmt.Errorf("delete bot %d's blobs: %w", b.ID, err)
		}
	}
	return s.store.DeleteBot(ctx, b.UserID, b.ID)
}

// logLevels are the levels a bot logs at.
var logLevels = map[string]bool{"TRACE": true, "DEBUG": true, "INFO": true, "WARN": true, "ERROR": true, "FATAL": true}

// LogLevels lists the levels a bot logs at, sorted.
func LogLevels() []string { return slices.Sorted(maps.Keys(logLevels)) }

// SetLogLevel changes the level a bot logs at, from its next heartbeat.
func (s *Service) SetLogLevel(ctx context.Context, b store.Bot, level string) (store.Bot, error) {
	v := &domain.Validator{}
	v.Check(logLevels[level], "logLevel", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
	if err := v.Err(); err != nil {
		return b, err
	}
	if err := s.store.SetLogLevel(ctx, b.UserID, b.ID, level); err != nil {
		return b, err
	}
	s.changed()
	b.LogLevel = level
	return b, nil
}

// MaxBulk bounds the bots one bulk request names.
const MaxBulk = 1000

// BulkFailure is one bot a bulk operation could not act on.
type BulkFailure struct {
	BotID int64
	Err   error
}

// Bulk applies op to each of userID's bots in ids and reports per bot;
// another user's id fails as not found.
func (s *Service) Bulk(ctx context.Context, userID int64, ids []int64, op func(context.Context, store.Bot) (store.Bot, error)) ([]int64, []BulkFailure, error) {
	v := &domain.Validator{}
	v.Check(len(ids) >= 1 && len(ids) <= MaxBulk, "botIds", "must name 1 to %d bots", MaxBulk)
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	ok, failed := []int64{}, []BulkFailure{}
	for _, id := range ids {
		b, err := s.Owned(ctx, userID, id)
		if err == nil {
			_, err = op(ctx, b)
		}
		if err != nil {
			failed = append(failed, BulkFailure{BotID: id, Err: err})
			continue
		}
		ok = append(ok, id)
	}
	return ok, failed, nil
}
