package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// BotsClient reaches /v1/bots.
type BotsClient struct{ c *Client }

// Bots returns the bots resource.
func (c *Client) Bots() *BotsClient { return &BotsClient{c} }

func botPath(id int64, rest ...string) string {
	p := "/v1/bots/" + strconv.FormatInt(id, 10)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// Create creates a bot.
func (b *BotsClient) Create(ctx context.Context, req CreateBotRequest, opts ...RequestOption) (*Bot, error) {
	var out Bot
	return &out, b.c.do(ctx, http.MethodPost, "/v1/bots", nil, req, &out, opts...)
}

// Get reads one bot.
func (b *BotsClient) Get(ctx context.Context, id int64) (*Bot, error) {
	var out Bot
	return &out, b.c.do(ctx, http.MethodGet, botPath(id), nil, nil, &out)
}

// BotListOptions filters and pages a bot listing.
type BotListOptions struct {
	Statuses        []BotStatus
	MeetingPlatform string
	CreatedFrom     *time.Time
	CreatedTo       *time.Time
	Metadata        map[string]string
	Cursor          string
	Limit           int
}

func (o BotListOptions) query() url.Values {
	q := url.Values{}
	for _, s := range o.Statuses {
		q.Add("status", string(s))
	}
	if o.MeetingPlatform != "" {
		q.Set("meetingPlatform", o.MeetingPlatform)
	}
	if o.CreatedFrom != nil {
		q.Set("createdFrom", o.CreatedFrom.UTC().Format(time.RFC3339))
	}
	if o.CreatedTo != nil {
		q.Set("createdTo", o.CreatedTo.UTC().Format(time.RFC3339))
	}
	for k, v := range o.Metadata {
		q.Add("metadata", k+"="+v)
	}
	setPage(q, o.Cursor, o.Limit)
	return q
}

func setPage(q url.Values, cursor string, limit int) {
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
}

// List pages the caller's bots, newest first.
func (b *BotsClient) List(ctx context.Context, opts BotListOptions) (*List[Bot], error) {
	var out List[Bot]
	return &out, b.c.do(ctx, http.MethodGet, "/v1/bots", opts.query(), nil, &out)
}

// Update changes a bot that is not deployed yet.
func (b *BotsClient) Update(ctx context.Context, id int64, req UpdateBotRequest) (*Bot, error) {
	var out Bot
	return &out, b.c.do(ctx, http.MethodPatch, botPath(id), nil, req, &out)
}

// Delete removes a bot that has ended or not started.
func (b *BotsClient) Delete(ctx context.Context, id int64) error {
	return b.c.do(ctx, http.MethodDelete, botPath(id), nil, nil, nil)
}

// Cancel ends a bot before it joins: a scheduled or queued bot is taken out
// for good, a deploying one is stopped.
func (b *BotsClient) Cancel(ctx context.Context, id int64, opts ...RequestOption) (*Bot, error) {
	var out Bot
	return &out, b.c.do(ctx, http.MethodPost, botPath(id, "cancel"), nil, struct{}{}, &out, opts...)
}

// Leave asks a running bot to leave its call.
func (b *BotsClient) Leave(ctx context.Context, id int64, opts ...RequestOption) (*Bot, error) {
	var out Bot
	return &out, b.c.do(ctx, http.MethodPost, botPath(id, "leave"), nil, struct{}{}, &out, opts...)
}

// BulkLeave asks many bots to leave.
func (b *BotsClient) BulkLeave(ctx context.Context, ids []int64, opts ...RequestOption) (*BulkResult, error) {
	var out BulkResult
	return &out, b.c.do(ctx, http.MethodPost, "/v1/bots/leave", nil, BulkRequest{BotIDs: ids}, &out, opts...)
}

// BulkCancel cancels many bots.
func (b *BotsClient) BulkCancel(ctx context.Context, ids []int64, opts ...RequestOption) (*BulkResult, error) {
	var out BulkResult
	return &out, b.c.do(ctx, http.MethodPost, "/v1/bots/cancel", nil, BulkRequest{BotIDs: ids}, &out, opts...)
}

// SetLogLevel changes the level the bot logs at from its next heartbeat.
func (b *BotsClient) SetLogLevel(ctx context.Context, id int64, level string) (*Bot, error) {
	var out Bot
	return &out, b.c.do(ctx, http.MethodPost, botPath(id, "log-level"), nil, LogLevelRequest{LogLevel: level}, &out)
}

// Events pages a bot's events, oldest first.
func (b *BotsClient) Events(ctx context.Context, id int64, cursor string, limit int) (*List[Event], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[Event]
	return &out, b.c.do(ctx, http.MethodGet, botPath(id, "events"), q, nil, &out)
}

// Logs pages a bot's log, oldest first.
func (b *BotsClient) Logs(ctx context.Context, id int64, cursor string, limit int) (*List[LogEntry], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[LogEntry]
	return &out, b.c.do(ctx, http.MethodGet, botPath(id, "logs"), q, nil, &out)
}

// Screenshots pages a bot's screenshots, oldest first.
func (b *BotsClient) Screenshots(ctx context.Context, id int64, cursor string, limit int) (*List[Screenshot], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[Screenshot]
	return &out, b.c.do(ctx, http.MethodGet, botPath(id, "screenshots"), q, nil, &out)
}

// Recording returns a signed URL of the bot's recording; ErrNotFound
// when the bot reported none.
func (b *BotsClient) Recording(ctx context.Context, id int64) (*Recording, error) {
	var out Recording
	return &out, b.c.do(ctx, http.MethodGet, botPath(id, "recording"), nil, nil, &out)
}

// SendChat queues a chat message for the bot to post.
func (b *BotsClient) SendChat(ctx context.Context, id int64, text string, opts ...RequestOption) (*ChatMessage, error) {
	var out ChatMessage
	return &out, b.c.do(ctx, http.MethodPost, botPath(id, "chat"), nil, SendChatRequest{Text: text}, &out, opts...)
}

// ChatHistory pages a bot's chat messages, oldest first.
func (b *BotsClient) ChatHistory(ctx context.Context, id int64, cursor string, limit int) (*List[ChatMessage], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[ChatMessage]
	return &out, b.c.do(ctx, http.MethodGet, botPath(id, "chat"), q, nil, &out)
}
