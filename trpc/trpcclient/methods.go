package trpcclient

import (
	"context"
	"net/http"

	"github.com/meeboter/meeboter/trpc"
)

// configDates are the config fields the bots need as real Dates.
var configDates = requireDates("startTime", "endTime")

// GetConfig queries bots.getConfig {botId:<number>}: the one-shot bot's
// start-up call and every bot's restart check.
func (c *Client) GetConfig(ctx context.Context, botID int64) (trpc.BotConfig, error) {
	cl, r := newCall[trpc.BotConfig]("bots.getConfig", configInput{BotID: botID}, configDates)
	return getOne(ctx, c, http.MethodGet, cl, r)
}

// GetSlot queries infrastructure.coolify.pool.getSlot, the pool slot
// container's start-up call.
func (c *Client) GetSlot(ctx context.Context, slotUUID string) (trpc.BotConfig, error) {
	cl, r := newCall[trpc.BotConfig]("infrastructure.coolify.pool.getSlot", slotInput{PoolSlotUUID: slotUUID}, configDates)
	return getOne(ctx, c, http.MethodGet, cl, r)
}

// DequeueChat queries bots.chat.dequeueMessage; nil when no message waits.
func (c *Client) DequeueChat(ctx context.Context, botID int64) (*trpc.ChatMessage, error) {
	cl, r := newCall[*trpc.ChatMessage]("bots.chat.dequeueMessage", botIDInput{BotID: idString(botID)}, nil)
	return getOne(ctx, c, http.MethodGet, cl, r)
}

// SendHeartbeat sends bots.sendHeartbeat alone.
func (c *Client) SendHeartbeat(ctx context.Context, botID int64) (trpc.Heartbeat, error) {
	b := c.Batch()
	r := b.SendHeartbeat(botID)
	return doOne(ctx, b, r)
}

// ReportEvent sends bots.events.report alone.
func (c *Client) ReportEvent(ctx context.Context, botID int64, ev trpc.Event) error {
	b := c.Batch()
	r := b.ReportEvent(botID, ev)
	_, err := doOne(ctx, b, r)
	return err
}

// UpdateStatus sends bots.updateStatus alone.
func (c *Client) UpdateStatus(ctx context.Context, botID int64, u trpc.StatusUpdate) error {
	b := c.Batch()
	r := b.UpdateStatus(botID, u)
	_, err := doOne(ctx, b, r)
	return err
}

// StreamLogs sends bots.logs.stream alone and returns the received count.
func (c *Client) StreamLogs(ctx context.Context, botID int64, entries []trpc.LogEntry) (int, error) {
	b := c.Batch()
	r := b.StreamLogs(botID, entries)
	return doOne(ctx, b, r)
}

// FlushLogs sends bots.logs.flush alone.
func (c *Client) FlushLogs(ctx context.Context, botID int64) error {
	b := c.Batch()
	r := b.FlushLogs(botID)
	_, err := doOne(ctx, b, r)
	return err
}

// getOne sends a single call and returns its result.
func getOne[T any](ctx context.Context, c *Client, method string, cl *call, r *Result[T]) (T, error) {
	_ = c.send(ctx, method, []*call{cl})
	return r.Get()
}

// doOne sends a batch of one mutation and returns its result.
func doOne[T any](ctx context.Context, b *Batch, r *Result[T]) (T, error) {
	_ = b.Do(ctx)
	return r.Get()
}
