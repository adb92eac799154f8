package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WebhookSecretPrefix starts every webhook secret, as Standard Webhooks
// has it.
const WebhookSecretPrefix = "whsec_"

// WebhookKey is the HMAC key of a webhook secret: what a Standard Webhooks
// library derives from it, so a receiver hands the library the secret
// exactly as it holds it. That is the base64 after "whsec_", decoded. It
// holds for secrets generated before Standard Webhooks too ("whsec_" and
// 64 hex digits: hex digits are base64 characters, and the library
// decodes them as such). A secret that is not "whsec_" and base64 (a
// MEEBOTER_WEBHOOK_SECRET chosen by hand) keys the HMAC with its bytes as
// they are; give a library "whsec_" + base64 of those bytes, or use its
// raw-key mode.
func WebhookKey(secret string) []byte {
	if rest, ok := strings.CutPrefix(secret, WebhookSecretPrefix); ok {
		if key, err := base64.StdEncoding.DecodeString(rest); err == nil && len(key) > 0 {
			return key
		}
	}
	return []byte(secret)
}

// SignStandardWebhook returns the webhook-signature header of a body sent
// with message id msgID at timestamp (Unix seconds): one "v1,<base64>"
// signature per key, space-separated, so a receiver still holding the
// secret a rotation replaced keeps verifying.
func SignStandardWebhook(keys [][]byte, msgID string, timestamp int64, body []byte) string {
	sigs := make([]string, len(keys))
	for i, key := range keys {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(msgID + "." + strconv.FormatInt(timestamp, 10) + "."))
		mac.Write(body)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return strings.Join(sigs, " ")
}

// WebhookTolerance is how far a webhook's timestamp may be from the
// receiver's clock before VerifyStandardWebhook refuses it as a replay.
const WebhookTolerance = 5 * time.Minute

// Errors of VerifyStandardWebhook.
var (
	ErrWebhookHeaders   = errors.New("webhook: missing or malformed webhook-id, webhook-timestamp or webhook-signature")
	ErrWebhookTimestamp = errors.New("webhook: timestamp outside the tolerance; a replay or a skewed clock")
	ErrWebhookSignature = errors.New("webhook: no signature matches the secret")
)

// VerifyStandardWebhook checks a webhook's Standard Webhooks headers
// against secret and the raw body, as received, at time now. Any library
// implementing the standard does the same; this one is for Go receivers
// that would rather not add a dependency.
func VerifyStandardWebhook(secret string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get(HeaderWebhookID), h.Get(HeaderWebhookTimestamp), h.Get(HeaderWebhookSignature)
	unix, err := strconv.ParseInt(ts, 10, 64)
	if id == "" || sigs == "" || err != nil {
		return ErrWebhookHeaders
	}
	if d := now.Sub(time.Unix(unix, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return ErrWebhookTimestamp
	}
	want := []byte(SignStandardWebhook([][]byte{WebhookKey(secret)}, id, unix, body))
	for _, sig := range strings.Fields(sigs) {
		if hmac.Equal([]byte(sig), want) {
			return nil
		}
	}
	return ErrWebhookSignature
}

// SignWebhook returns the X-Meeboter-Signature value of a body sent at
// timestamp (Unix seconds, as in X-Meeboter-Timestamp): "sha256=" and the
// hex HMAC-SHA256, keyed by the secret's bytes as they are, of
// timestamp + "." + body.
//
// Deprecated: receivers verify the Standard Webhooks headers.
func SignWebhook(secret []byte, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook checks an X-Meeboter-Signature header against the
// X-Meeboter-Timestamp header and the raw body, in constant time.
//
// Deprecated: use VerifyStandardWebhook.
func VerifyWebhook(secret []byte, timestamp, signature string, body []byte) bool {
	ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(SignWebhook(secret, ts, body)), []byte(strings.TrimSpace(signature)))
}
