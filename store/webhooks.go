package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"
)

const webhookCols = "id, bot_id, user_id, endpoint_id, url, message_id, sequence_key, event, status, payload, attempts, " +
	"next_attempt_at, last_status, last_error, last_latency_ms, last_response, last_attempt_at, delivered_at, " +
	"claim_holder, claim_until, created_at"

// EnqueueWebhook inserts a delivery due at once.
func (s *db) EnqueueWebhook(ctx context.Context, d NewWebhookDelivery) (WebhookDelivery, error) {
	now := s.d.at(d.Now)
	out, err := s.webhookRow(ctx, "INSERT INTO webhook_deliveries (bot_id, user_id, endpoint_id, url, message_id, sequence_key, "+
		"event, status, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "+webhookCols,
		nullID(d.BotID), d.UserID, nullID(d.EndpointID), d.URL, orNewMessageID(d.MessageID), sequenceKey(d.BotID, d.EndpointID),
		d.Event, string(d.Status), string(d.Payload), now, now)
	if err == nil {
		s.outboxAdded() // in a transaction, told after its commit
	}
	return out, err
}

// dueWebhook matches a delivery (as d) that is due at its two placeholders
// (now, now) and not held by a live claim.
const dueWebhook = "d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= ? AND (d.claim_until IS NULL OR d.claim_until < ?)"

// noEarlierDue matches a delivery (as d) whose sequence has no earlier
// delivery still due or in flight: the receiver gets one bot's events in
// the order they happened.
const noEarlierDue = "NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.sequence_key = d.sequence_key AND e.id < d.id " +
	"AND e.next_attempt_at IS NOT NULL)"

// ClaimWebhooks leases due deliveries to one holder. As with ClaimDeploys,
// the sub-select skips rows another claimer holds on PostgreSQL, and the
// single writer makes the statement atomic on SQLite; the outer condition
// repeats the claim test so a row claimed between the two is left alone.
// An earlier delivery of a sequence, claimed or waiting for its retry,
// holds back the later ones.
func (s *db) ClaimWebhooks(ctx context.Context, p ClaimWebhooksParams) ([]WebhookDelivery, error) {
	now := s.d.at(p.Now)
	sub := "SELECT d.id FROM webhook_deliveries d WHERE " + dueWebhook + " AND " + noEarlierDue +
		" ORDER BY d.next_attempt_at, d.id LIMIT ?" + s.d.skipLocked()
	out, err := collect(ctx, s, "UPDATE webhook_deliveries AS d SET claim_holder = ?, claim_until = ? WHERE d.id IN ("+sub+") AND "+
		dueWebhook+" RETURNING "+webhookCols,
		[]any{p.Holder, s.d.at(p.Now.Add(p.LeaseFor)), now, now, limit(p.Limit), now, now}, scanWebhook)
	slices.SortFunc(out, func(a, b WebhookDelivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// RecordWebhookAttempt stores one attempt's outcome and ends the claim,
// only while a.Holder still holds it: a holder whose lease ran out must not
// overwrite what the daemon that took over recorded. The endpoint's
// failure clock moves in the same transaction.
func (s *db) RecordWebhookAttempt(ctx context.Context, a WebhookAttempt) (AttemptResult, error) {
	var res AttemptResult
	err := s.tx(ctx, func(t *db) error {
		d, err := t.recordAttempt(ctx, a)
		if err != nil || d.EndpointID == 0 {
			res.Delivery = d
			return err
		}
		disabled, off, err := t.endpointAttempt(ctx, d.EndpointID, a)
		if err != nil {
			return err
		}
		if off && d.NextAttemptAt != nil {
			d, err = t.webhookRow(ctx, "UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE id = ? RETURNING "+webhookCols, d.ID)
		}
		res = AttemptResult{Delivery: d, Disabled: disabled}
		return err
	})
	return res, err
}

func (s *db) recordAttempt(ctx context.Context, a WebhookAttempt) (WebhookDelivery, error) {
	var delivered, next any
	if a.Delivered {
		delivered = s.d.at(a.Now)
	} else {
		next = s.d.atp(a.NextAttemptAt)
	}
	d, err := s.webhookRow(ctx, "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, "+
		"last_latency_ms = ?, last_response = ?, last_attempt_at = ?, delivered_at = ?, next_attempt_at = ?, "+
		"claim_holder = NULL, claim_until = NULL WHERE id = ? AND claim_holder = ? RETURNING "+webhookCols,
		a.StatusCode, a.Error, a.Latency.Milliseconds(), a.Response, s.d.at(a.Now), delivered, next, a.ID, a.Holder)
	if errors.Is(err, ErrNotFound) {
		err = s.missingOr(ctx, "SELECT count(*) FROM webhook_deliveries WHERE id = ?", a.ID)
	}
	return d, err
}

// ListWebhookDeliveries lists a bot's deliveries in the order they were
// enqueued.
func (s *db) ListWebhookDeliveries(ctx context.Context, botID int64) ([]WebhookDelivery, error) {
	return collect(ctx, s, "SELECT "+webhookCols+" FROM webhook_deliveries WHERE bot_id = ? ORDER BY id", []any{botID}, scanWebhook)
}

// ListEndpointDeliveries pages an owned endpoint's deliveries, newest
// first.
func (s *db) ListEndpointDeliveries(ctx context.Context, userID, endpointID int64, p Page) ([]WebhookDelivery, error) {
	if _, err := s.GetWebhookEndpoint(ctx, userID, endpointID); err != nil {
		return nil, err
	}
	q, args := newestFirst("SELECT "+webhookCols+" FROM webhook_deliveries WHERE endpoint_id = ? AND user_id = ?",
		[]any{endpointID, userID}, p)
	return collect(ctx, s, q, args, scanWebhook)
}

// ResendWebhook copies an owned delivery into a new one, due at once. A
// delivery to a disabled endpoint is ErrConflict: it would only be given
// up.
func (s *db) ResendWebhook(ctx context.Context, userID, deliveryID int64, now time.Time) (WebhookDelivery, error) {
	var out WebhookDelivery
	err := s.tx(ctx, func(t *db) error {
		d, err := t.webhookRow(ctx, "SELECT "+webhookCols+" FROM webhook_deliveries WHERE id = ? AND user_id = ?", deliveryID, userID)
		if err != nil {
			return err
		}
		if d.EndpointID != 0 {
			e, err := t.GetWebhookEndpoint(ctx, userID, d.EndpointID)
			if err != nil {
				return err
			}
			if e.DisabledAt != nil {
				return ErrConflict
			}
		}
		out, err = t.EnqueueWebhook(ctx, NewWebhookDelivery{BotID: d.BotID, UserID: d.UserID, EndpointID: d.EndpointID, URL: d.URL,
			MessageID: d.MessageID, Event: d.Event, Status: d.Status, Payload: d.Payload, Now: now})
		return err
	})
	return out, err
}

func (s *db) webhookRow(ctx context.Context, q string, args ...any) (WebhookDelivery, error) {
	rows, err := collect(ctx, s, q, args, scanWebhook)
	if err == nil && len(rows) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return WebhookDelivery{}, err
	}
	return rows[0], nil
}

func scanWebhook(r *sql.Rows, d *WebhookDelivery) error {
	var botID, endpointID sql.NullInt64
	var latency int64
	err := r.Scan(&d.ID, &botID, &d.UserID, &endpointID, &d.URL, &d.MessageID, &d.SequenceKey, &d.Event, &d.Status,
		rawCol{&d.Payload}, &d.Attempts, nullTimeCol{&d.NextAttemptAt}, &d.LastStatus, &d.LastError, &latency,
		&d.LastResponse, nullTimeCol{&d.LastAttemptAt}, nullTimeCol{&d.DeliveredAt}, strCol{&d.ClaimHolder},
		nullTimeCol{&d.ClaimUntil}, timeCol{&d.CreatedAt})
	d.BotID, d.EndpointID, d.LastLatency = botID.Int64, endpointID.Int64, time.Duration(latency)*time.Millisecond
	return err
}
