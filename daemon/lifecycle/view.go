package lifecycle

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// View is a bot as its owner sees it: a queued bot also has its position
// and an estimate of its wait.
type View struct {
	store.Bot
	QueuePosition int
	EstimatedWait time.Duration
	// Reservation is the capacity a SCHEDULED bot holds, when it holds
	// some.
	Reservation *store.Reservation
}

// View adds the queue position and wait estimate of a queued bot, and
// the reservation of a scheduled one.
func (s *Service) View(ctx context.Context, b store.Bot) View {
	v := View{Bot: b}
	if b.Status == api.StatusScheduled {
		if r, err := s.store.GetReservation(ctx, b.ID); err == nil {
			v.Reservation = &r
		}
	}
	if b.Status != api.StatusQueued {
		return v
	}
	entries, err := s.store.ListQueue(ctx, b.UserID)
	if err != nil {
		return v
	}
	for _, e := range entries {
		if e.BotID == b.ID {
			v.QueuePosition = e.Position
			if waits, err := s.QueueWaits(ctx); err == nil {
				v.EstimatedWait = waits[b.ID]
			}
		}
	}
	return v
}

// QueueItem is one queue entry with its estimated wait.
type QueueItem struct {
	store.QueueEntry
	EstimatedWait time.Duration
}

// Queue lists the queue entries of scope's bots (0: everyone's) with their
// global positions and estimated waits.
func (s *Service) Queue(ctx context.Context, scope int64) ([]QueueItem, error) {
	entries, err := s.store.ListQueue(ctx, scope)
	if err != nil {
		return nil, err
	}
	items := make([]QueueItem, 0, len(entries))
	waits, err := s.QueueWaits(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		items = append(items, QueueItem{QueueEntry: e, EstimatedWait: waits[e.BotID]})
	}
	return items, nil
}
