package api

import "time"

// WebhookEndpoint is a receiver of your webhooks. Its secret is shown once,
// when the endpoint is created and when it is rotated.
type WebhookEndpoint struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
	// EventTypes filters what the endpoint receives; empty: every type.
	EventTypes []string `json:"eventTypes"`
	// PreviousSecretExpiresAt is set after a rotation: until then, every
	// webhook carries a signature with the old secret too.
	PreviousSecretExpiresAt *time.Time `json:"previousSecretExpiresAt,omitempty"`
	// FailingSince is the first failed delivery since the last success.
	FailingSince *time.Time `json:"failingSince,omitempty"`
	// DisabledAt is set once the endpoint is disabled (it failed for five
	// days, or answered 410 Gone); re-enable it with PATCH enabled=true.
	DisabledAt     *time.Time `json:"disabledAt,omitempty"`
	DisabledReason string     `json:"disabledReason,omitempty"`
	CreatedAt      time.Time  `json:"createdAt"`
	UpdatedAt      time.Time  `json:"updatedAt"`
}

// CreatedWebhookEndpoint is an endpoint with its signing secret
// ("whsec_" + base64), in this answer only.
type CreatedWebhookEndpoint struct {
	WebhookEndpoint
	Secret string `json:"secret"`
}

// CreateWebhookRequest is the body of POST /v1/webhooks.
type CreateWebhookRequest struct {
	URL         string   `json:"url"`
	EventTypes  []string `json:"eventTypes,omitempty"`
	Description string   `json:"description,omitempty"`
}

// UpdateWebhookRequest is the body of PATCH /v1/webhooks/{id}: the fields
// set change. Enabled=true turns a disabled endpoint back on.
type UpdateWebhookRequest struct {
	URL         *string   `json:"url,omitempty"`
	EventTypes  *[]string `json:"eventTypes,omitempty"`
	Description *string   `json:"description,omitempty"`
	Enabled     *bool     `json:"enabled,omitempty"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // given up
)

// WebhookDelivery is one event sent to one receiver, with its last
// attempt: the delivery log of an endpoint lists these.
type WebhookDelivery struct {
	ID         int64  `json:"id"`
	EndpointID int64  `json:"endpointId,omitempty"`
	BotID      int64  `json:"botId,omitempty"`
	MessageID  string `json:"messageId"`
	EventType  string `json:"eventType"`
	URL        string `json:"url"`
	State      string `json:"state"`
	Attempts   int    `json:"attempts"`
	// StatusCode is the receiver's last answer; 0 when none came.
	StatusCode int   `json:"statusCode,omitempty"`
	LatencyMS  int64 `json:"latencyMs,omitempty"`
	// Response is the first KiB of the receiver's last answer.
	Response      string     `json:"response,omitempty"`
	Error         string     `json:"error,omitempty"`
	LastAttemptAt *time.Time `json:"lastAttemptAt,omitempty"`
	NextAttemptAt *time.Time `json:"nextAttemptAt,omitempty"`
	DeliveredAt   *time.Time `json:"deliveredAt,omitempty"`
	CreatedAt     time.Time  `json:"createdAt"`
}
