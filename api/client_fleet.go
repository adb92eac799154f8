package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// ChatClient reaches /v1/chat: broadcasts and templates.
type ChatClient struct{ c *Client }

// Chat returns the chat resource.
func (c *Client) Chat() *ChatClient { return &ChatClient{c} }

// Broadcast queues one text for many bots.
func (ch *ChatClient) Broadcast(ctx context.Context, req BroadcastChatRequest, opts ...RequestOption) (*BulkResult, error) {
	var out BulkResult
	return &out, ch.c.do(ctx, http.MethodPost, "/v1/chat/messages", nil, req, &out, opts...)
}

// CreateTemplate makes a template.
func (ch *ChatClient) CreateTemplate(ctx context.Context, req TemplateRequest, opts ...RequestOption) (*Template, error) {
	var out Template
	return &out, ch.c.do(ctx, http.MethodPost, "/v1/chat/templates", nil, req, &out, opts...)
}

// Templates pages the caller's templates, newest first.
func (ch *ChatClient) Templates(ctx context.Context, cursor string, limit int) (*List[Template], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[Template]
	return &out, ch.c.do(ctx, http.MethodGet, "/v1/chat/templates", q, nil, &out)
}

func templatePath(id int64, rest string) string {
	return "/v1/chat/templates/" + strconv.FormatInt(id, 10) + rest
}

// Template reads one template.
func (ch *ChatClient) Template(ctx context.Context, id int64) (*Template, error) {
	var out Template
	return &out, ch.c.do(ctx, http.MethodGet, templatePath(id, ""), nil, nil, &out)
}

// UpdateTemplate replaces a template's name and messages.
func (ch *ChatClient) UpdateTemplate(ctx context.Context, id int64, req TemplateRequest) (*Template, error) {
	var out Template
	return &out, ch.c.do(ctx, http.MethodPatch, templatePath(id, ""), nil, req, &out)
}

// DeleteTemplate removes a template.
func (ch *ChatClient) DeleteTemplate(ctx context.Context, id int64) error {
	return ch.c.do(ctx, http.MethodDelete, templatePath(id, ""), nil, nil, nil)
}

// SendTemplate queues one of the template's messages, at random, per bot.
func (ch *ChatClient) SendTemplate(ctx context.Context, id int64, botIDs []int64, opts ...RequestOption) (*BulkResult, error) {
	var out BulkResult
	return &out, ch.c.do(ctx, http.MethodPost, templatePath(id, "/send"), nil, SendTemplateRequest{BotIDs: botIDs}, &out, opts...)
}

// Queue lists the caller's queued bots with their global positions.
func (c *Client) Queue(ctx context.Context) ([]QueueEntry, error) {
	var out List[QueueEntry]
	return out.Items, c.do(ctx, http.MethodGet, "/v1/queue", nil, nil, &out)
}

// Pool reads capacity per platform with the queue and status counts.
func (c *Client) Pool(ctx context.Context) (*PoolStatus, error) {
	var out PoolStatus
	return &out, c.do(ctx, http.MethodGet, "/v1/pool", nil, nil, &out)
}

// PoolSlots lists the reusable container slots.
func (c *Client) PoolSlots(ctx context.Context) ([]PoolSlot, error) {
	var out List[PoolSlot]
	return out.Items, c.do(ctx, http.MethodGet, "/v1/pool/slots", nil, nil, &out)
}

// CreatePoolSlots adds idle slots to the Coolify pool (admins only).
func (c *Client) CreatePoolSlots(ctx context.Context, req CreateSlotsRequest) ([]PoolSlot, error) {
	var out List[PoolSlot]
	return out.Items, c.do(ctx, http.MethodPost, "/v1/pool/slots", nil, req, &out)
}

// DeletePoolSlot deletes a slot, ending the bot it runs (admins only).
func (c *Client) DeletePoolSlot(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, "/v1/pool/slots/"+strconv.FormatInt(id, 10), nil, nil, nil)
}

// SyncPool reconciles the pool with Coolify now (admins only).
func (c *Client) SyncPool(ctx context.Context) (*PoolSyncResult, error) {
	var out PoolSyncResult
	return &out, c.do(ctx, http.MethodPost, "/v1/pool/sync", nil, nil, &out)
}

// Health reads /healthz.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var out Health
	return &out, c.do(ctx, http.MethodGet, "/healthz", nil, nil, &out)
}
