// Package webhook delivers the outbox of bot webhooks: deliveries are
// written with the transition that causes them (in the store), claimed by
// one daemon at a time, signed, sent outside any transaction through a
// client that refuses private addresses and redirects, and retried with
// backoff.
package webhook
