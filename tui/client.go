package tui

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Client is what the dashboard needs from a daemon. It is an interface so
// tests drive the dashboard with a fake; APIClient adapts *api.Client.
type Client interface {
	ListBots(ctx context.Context, opts api.BotListOptions) (*api.List[api.Bot], error)
	GetBot(ctx context.Context, id int64) (*api.Bot, error)
	BotEvents(ctx context.Context, id int64, cursor string, limit int) (*api.List[api.Event], error)
	BotLogs(ctx context.Context, id int64, cursor string, limit int) (*api.List[api.LogEntry], error)
	Pool(ctx context.Context) (*api.PoolStatus, error)
	// CapacityForecast reads what reservations and running bots hold per
	// platform per step (nil times and zero step: the next hour in 5 min).
	CapacityForecast(ctx context.Context, from, to *time.Time, step time.Duration) (*api.CapacityForecast, error)
	PoolSlots(ctx context.Context) ([]api.PoolSlot, error)
	Queue(ctx context.Context) ([]api.QueueEntry, error)
	LeaveBot(ctx context.Context, id int64) (*api.Bot, error)
	CancelBot(ctx context.Context, id int64) (*api.Bot, error)
	BulkLeave(ctx context.Context, ids []int64) (*api.BulkResult, error)
	BulkCancel(ctx context.Context, ids []int64) (*api.BulkResult, error)
	DeleteBot(ctx context.Context, id int64) error
	SendChat(ctx context.Context, id int64, text string) (*api.ChatMessage, error)
	Stream(ctx context.Context, opts api.StreamOptions, fn func(api.StreamEvent) error) error
}

// APIClient is the Client of a real daemon. Pool, PoolSlots, Queue and
// Stream come from the embedded *api.Client as they are; the bot calls are
// flattened from its Bots() accessor.
type APIClient struct {
	*api.Client
}

var _ Client = APIClient{}

// ListBots pages the caller's bots, newest first.
func (c APIClient) ListBots(ctx context.Context, opts api.BotListOptions) (*api.List[api.Bot], error) {
	return c.Bots().List(ctx, opts)
}

// GetBot reads one bot.
func (c APIClient) GetBot(ctx context.Context, id int64) (*api.Bot, error) {
	return c.Bots().Get(ctx, id)
}

// BotEvents pages a bot's events, oldest first.
func (c APIClient) BotEvents(ctx context.Context, id int64, cursor string, limit int) (*api.List[api.Event], error) {
	return c.Bots().Events(ctx, id, cursor, limit)
}

// BotLogs pages a bot's log, oldest first.
func (c APIClient) BotLogs(ctx context.Context, id int64, cursor string, limit int) (*api.List[api.LogEntry], error) {
	return c.Bots().Logs(ctx, id, cursor, limit)
}

// LeaveBot asks a running bot to leave its call.
func (c APIClient) LeaveBot(ctx context.Context, id int64) (*api.Bot, error) {
	return c.Bots().Leave(ctx, id)
}

// CancelBot ends a bot before it joins.
func (c APIClient) CancelBot(ctx context.Context, id int64) (*api.Bot, error) {
	return c.Bots().Cancel(ctx, id)
}

// BulkLeave asks many bots to leave, in one call.
func (c APIClient) BulkLeave(ctx context.Context, ids []int64) (*api.BulkResult, error) {
	return c.Bots().BulkLeave(ctx, ids)
}

// BulkCancel cancels many bots, in one call.
func (c APIClient) BulkCancel(ctx context.Context, ids []int64) (*api.BulkResult, error) {
	return c.Bots().BulkCancel(ctx, ids)
}

// DeleteBot removes a bot that has ended or not started.
func (c APIClient) DeleteBot(ctx context.Context, id int64) error {
	return c.Bots().Delete(ctx, id)
}

// SendChat queues a chat message for the bot to post.
func (c APIClient) SendChat(ctx context.Context, id int64, text string) (*api.ChatMessage, error) {
	return c.Bots().SendChat(ctx, id, text)
}
