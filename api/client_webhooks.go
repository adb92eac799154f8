package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// WebhooksClient reaches /v1/webhooks: endpoints, their delivery logs and
// resends.
type WebhooksClient struct{ c *Client }

// Webhooks returns the webhook endpoint resource.
func (c *Client) Webhooks() *WebhooksClient { return &WebhooksClient{c} }

func webhookPath(id int64, rest string) string {
	return "/v1/webhooks/" + strconv.FormatInt(id, 10) + rest
}

// Create registers an endpoint; the answer holds its secret, shown once.
// It takes no Idempotency-Key: a secret is never stored to replay.
func (wh *WebhooksClient) Create(ctx context.Context, req CreateWebhookRequest) (*CreatedWebhookEndpoint, error) {
	var out CreatedWebhookEndpoint
	return &out, wh.c.do(ctx, http.MethodPost, "/v1/webhooks", nil, req, &out)
}

// List pages the caller's endpoints, newest first.
func (wh *WebhooksClient) List(ctx context.Context, cursor string, limit int) (*List[WebhookEndpoint], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[WebhookEndpoint]
	return &out, wh.c.do(ctx, http.MethodGet, "/v1/webhooks", q, nil, &out)
}

// Get reads one endpoint.
func (wh *WebhooksClient) Get(ctx context.Context, id int64) (*WebhookEndpoint, error) {
	var out WebhookEndpoint
	return &out, wh.c.do(ctx, http.MethodGet, webhookPath(id, ""), nil, nil, &out)
}

// Update changes an endpoint; Enabled=true turns a disabled one back on.
func (wh *WebhooksClient) Update(ctx context.Context, id int64, req UpdateWebhookRequest) (*WebhookEndpoint, error) {
	var out WebhookEndpoint
	return &out, wh.c.do(ctx, http.MethodPatch, webhookPath(id, ""), nil, req, &out)
}

// Delete removes an endpoint with its delivery log.
func (wh *WebhooksClient) Delete(ctx context.Context, id int64) error {
	return wh.c.do(ctx, http.MethodDelete, webhookPath(id, ""), nil, nil, nil)
}

// RotateSecret gives an endpoint a new secret, in the answer only; the
// old one keeps signing for 24 hours.
func (wh *WebhooksClient) RotateSecret(ctx context.Context, id int64) (*CreatedWebhookEndpoint, error) {
	var out CreatedWebhookEndpoint
	return &out, wh.c.do(ctx, http.MethodPost, webhookPath(id, "/rotate-secret"), nil, nil, &out)
}

// Deliveries pages an endpoint's delivery log, newest first.
func (wh *WebhooksClient) Deliveries(ctx context.Context, id int64, cursor string, limit int) (*List[WebhookDelivery], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[WebhookDelivery]
	return &out, wh.c.do(ctx, http.MethodGet, webhookPath(id, "/deliveries"), q, nil, &out)
}

// Resend sends a delivery again, as the same message.
func (wh *WebhooksClient) Resend(ctx context.Context, deliveryID int64, opts ...RequestOption) (*WebhookDelivery, error) {
	var out WebhookDelivery
	return &out, wh.c.do(ctx, http.MethodPost, "/v1/webhooks/deliveries/"+strconv.FormatInt(deliveryID, 10)+"/resend", nil, nil, &out, opts...)
}
