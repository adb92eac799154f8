package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// WebhookBotEnded is the type of the webhook sent when a bot ends.
const WebhookBotEnded = "bot.ended"

// The headers of every webhook request. The signature is
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), so a
// receiver can check both who sent the body and when, and refuse replays of
// old requests by bounding the timestamp's age.
const (
	WebhookDeliveryHeader  = "X-Meeboter-Delivery"
	WebhookTimestampHeader = "X-Meeboter-Timestamp"
	WebhookSignatureHeader = "X-Meeboter-Signature"
)

// BotEndedWebhook is the JSON body POSTed to a bot's callbackUrl once it
// reaches DONE or FATAL. The same delivery may arrive more than once (a
// receiver that answered too slowly is retried); the X-Meeboter-Delivery
// header identifies it.
type BotEndedWebhook struct {
	Type     string            `json:"type"` // WebhookBotEnded
	BotID    int64             `json:"botId"`
	Status   BotStatus         `json:"status"`
	Reason   string            `json:"reason"`
	Detail   string            `json:"detail"`
	EndedAt  time.Time         `json:"endedAt"`
	Metadata map[string]string `json:"metadata"`
}

// SignWebhook returns the X-Meeboter-Signature value of a body sent at
// timestamp (Unix seconds, as in X-Meeboter-Timestamp).
func SignWebhook(secret []byte, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook checks a webhook request's signature header against the
// timestamp header and the raw body, in constant time.
func VerifyWebhook(secret []byte, timestamp, signature string, body []byte) bool {
	ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(SignWebhook(secret, ts, body)), []byte(strings.TrimSpace(signature)))
}
