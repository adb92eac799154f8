package api

import "time"

// The webhook event types. Every body carries its type and the time the
// event happened (timestamp); bot events also carry the bot's id and
// metadata.
const (
	// WebhookBotStatusChanged is sent on every change of a bot's status.
	WebhookBotStatusChanged = "bot.status_changed"
	// WebhookBotEnded is sent once a bot reaches DONE or FATAL.
	WebhookBotEnded = "bot.ended"
	// WebhookBotRecordingReady is sent when a bot reaches DONE with a
	// recording.
	WebhookBotRecordingReady = "bot.recording_ready"
	// WebhookBotQueued is sent when a bot waits in the queue for capacity.
	WebhookBotQueued = "bot.queued"
	// WebhookBotDeployFailed is sent when a platform refused to start a
	// bot.
	WebhookBotDeployFailed = "bot.deploy_failed"
	// WebhookEndpointDisabled is sent to a user's other endpoints when one
	// is disabled for failing.
	WebhookEndpointDisabled = "webhook.endpoint_disabled"
)

// WebhookEventTypes lists every event type, for endpoint filters.
var WebhookEventTypes = []string{
	WebhookBotStatusChanged, WebhookBotEnded, WebhookBotRecordingReady, WebhookBotQueued,
	WebhookBotDeployFailed, WebhookBotWaitingRoom, WebhookEndpointDisabled,
}

// The Standard Webhooks headers (www.standardwebhooks.com) every webhook
// carries: the message id receivers deduplicate on (the same for every
// attempt of one event), the attempt's Unix time, and one or more
// space-separated "v1,<base64 HMAC-SHA256>" signatures of
// "<id>.<timestamp>.<body>".
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// The headers of the scheme before Standard Webhooks, still sent with
// deliveries to callback URLs for one release.
//
// Deprecated: verify the Standard Webhooks headers instead.
const (
	WebhookDeliveryHeader  = "X-Meeboter-Delivery"
	WebhookTimestampHeader = "X-Meeboter-Timestamp"
	WebhookSignatureHeader = "X-Meeboter-Signature"
)

// WebhookEnvelope is what every webhook body starts with; decode it first
// to learn the type, then decode the body again into the type's struct.
type WebhookEnvelope struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	BotID     int64     `json:"botId,omitempty"`
}

// BotStatusChangedWebhook is the body of bot.status_changed.
type BotStatusChangedWebhook struct {
	Type      string            `json:"type"`
	Timestamp time.Time         `json:"timestamp"`
	BotID     int64             `json:"botId"`
	From      BotStatus         `json:"from"`
	To        BotStatus         `json:"to"`
	SubCode   string            `json:"subCode,omitempty"`
	Detail    string            `json:"detail,omitempty"`
	Metadata  map[string]string `json:"metadata"`
}

// BotEndedWebhook is the body of bot.ended, sent once a bot reaches DONE
// or FATAL.
type BotEndedWebhook struct {
	Type      string            `json:"type"`
	Timestamp time.Time         `json:"timestamp"`
	BotID     int64             `json:"botId"`
	Status    BotStatus         `json:"status"`
	Reason    string            `json:"reason"`
	Detail    string            `json:"detail"`
	EndedAt   time.Time         `json:"endedAt"`
	Metadata  map[string]string `json:"metadata"`
}

// BotRecordingReadyWebhook is the body of bot.recording_ready: Recording
// is the key the bot stored its recording under.
type BotRecordingReadyWebhook struct {
	Type      string            `json:"type"`
	Timestamp time.Time         `json:"timestamp"`
	BotID     int64             `json:"botId"`
	Recording string            `json:"recording"`
	Metadata  map[string]string `json:"metadata"`
}

// BotQueuedWebhook is the body of bot.queued: the bot's place in the
// whole queue and an estimate of its wait.
type BotQueuedWebhook struct {
	Type                 string            `json:"type"`
	Timestamp            time.Time         `json:"timestamp"`
	BotID                int64             `json:"botId"`
	Position             int               `json:"position"`
	EstimatedWaitSeconds int64             `json:"estimatedWaitSeconds"`
	Metadata             map[string]string `json:"metadata"`
}

// BotDeployFailedWebhook is the body of bot.deploy_failed. FailedOver
// says the bot goes on to the next platform (or the queue); otherwise it
// ends FATAL.
type BotDeployFailedWebhook struct {
	Type       string            `json:"type"`
	Timestamp  time.Time         `json:"timestamp"`
	BotID      int64             `json:"botId"`
	Platform   string            `json:"platform"`
	Error      string            `json:"error"`
	FailedOver bool              `json:"failedOver"`
	Metadata   map[string]string `json:"metadata"`
}

// EndpointDisabledWebhook is the body of webhook.endpoint_disabled.
type EndpointDisabledWebhook struct {
	Type       string    `json:"type"`
	Timestamp  time.Time `json:"timestamp"`
	EndpointID int64     `json:"endpointId"`
	URL        string    `json:"url"`
	Reason     string    `json:"reason"`
}
