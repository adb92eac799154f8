// Package webhook sends the outbox of webhooks and manages the endpoints
// users register. Deliveries are written with the change that causes them
// (in the store), claimed by one daemon at a time and in order per bot and
// receiver, signed as Standard Webhooks (webhook-id, webhook-timestamp,
// webhook-signature), sent outside any transaction through a client that
// refuses private addresses and redirects, and retried with jittered
// backoff for about three days. Endpoints have secrets of their own, shown
// once and stored sealed under a key derived from the daemon's secret.
package webhook
