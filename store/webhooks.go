package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

const webhookCols = "id, bot_id, user_id, url, event, status, payload, attempts, next_attempt_at, last_status, " +
	"last_error, delivered_at, claim_holder, claim_until, created_at"

// EnqueueWebhook inserts a delivery due at once.
func (s *db) EnqueueWebhook(ctx context.Context, d NewWebhookDelivery) (WebhookDelivery, error) {
	now := s.d.at(d.Now)
	return s.webhookRow(ctx, "INSERT INTO webhook_deliveries (bot_id, user_id, url, event, status, payload, next_attempt_at, created_at) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "+webhookCols,
		d.BotID, d.UserID, d.URL, d.Event, string(d.Status), string(d.Payload), now, now)
}

// enqueueBotEnded is the outbox write of a terminal transition: it runs in
// the transition's transaction, so the webhook exists exactly when the bot
// has ended.
func (s *db) enqueueBotEnded(ctx context.Context, b Bot, now time.Time) error {
	if b.CallbackURL == "" {
		return nil
	}
	payload, err := json.Marshal(botEndedPayload(b, now))
	if err != nil {
		return fmt.Errorf("store: encode webhook: %w", err)
	}
	_, err = s.EnqueueWebhook(ctx, NewWebhookDelivery{
		BotID: b.ID, UserID: b.UserID, URL: b.CallbackURL, Event: api.WebhookBotEnded,
		Status: b.Status, Payload: payload, Now: now,
	})
	return err
}

// botEndedPayload is the body receivers get for an ended bot.
func botEndedPayload(b Bot, now time.Time) api.BotEndedWebhook {
	ended := now.UTC().Truncate(time.Microsecond)
	if b.EndedAt != nil {
		ended = *b.EndedAt
	}
	meta := b.Metadata
	if meta == nil {
		meta = map[string]string{}
	}
	return api.BotEndedWebhook{
		Type: api.WebhookBotEnded, BotID: b.ID, Status: b.Status, Reason: b.EndReason,
		Detail: b.EndDetail, EndedAt: ended, Metadata: meta,
	}
}

// ClaimWebhooks leases due deliveries to one holder. As with ClaimDeploys,
// the sub-select skips rows another claimer holds on PostgreSQL, and the
// single writer makes the statement atomic on SQLite; the outer condition
// repeats the claim test so a row claimed between the two is left alone.
func (s *db) ClaimWebhooks(ctx context.Context, p ClaimWebhooksParams) ([]WebhookDelivery, error) {
	now := s.d.at(p.Now)
	due := "next_attempt_at IS NOT NULL AND next_attempt_at <= ? AND (claim_until IS NULL OR claim_until < ?)"
	sub := "SELECT id FROM webhook_deliveries WHERE " + due + " ORDER BY next_attempt_at, id LIMIT ?" + s.d.skipLocked()
	var out []WebhookDelivery
	err := s.each(ctx, "UPDATE webhook_deliveries SET claim_holder = ?, claim_until = ? WHERE id IN ("+sub+") AND "+due+
		" RETURNING "+webhookCols,
		[]any{p.Holder, s.d.at(p.Now.Add(p.LeaseFor)), now, now, limit(p.Limit), now, now}, func(r *sql.Rows) error {
			d, err := scanWebhook(r)
			out = append(out, d)
			return err
		})
	slices.SortFunc(out, func(a, b WebhookDelivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// RecordWebhookAttempt stores one attempt's outcome and ends the claim,
// only while a.Holder still holds it: a holder whose lease ran out must not
// overwrite what the daemon that took over recorded.
func (s *db) RecordWebhookAttempt(ctx context.Context, a WebhookAttempt) (WebhookDelivery, error) {
	var delivered, next any
	if a.Delivered {
		delivered = s.d.at(a.Now)
	} else {
		next = s.d.atp(a.NextAttemptAt)
	}
	d, err := s.webhookRow(ctx, "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, "+
		"delivered_at = ?, next_attempt_at = ?, claim_holder = NULL, claim_until = NULL "+
		"WHERE id = ? AND claim_holder = ? RETURNING "+webhookCols,
		a.StatusCode, a.Error, delivered, next, a.ID, a.Holder)
	if errors.Is(err, ErrNotFound) {
		err = s.missingOr(ctx, "SELECT count(*) FROM webhook_deliveries WHERE id = ?", a.ID)
	}
	return d, err
}

// ListWebhookDeliveries lists a bot's deliveries in the order they were
// enqueued.
func (s *db) ListWebhookDeliveries(ctx context.Context, botID int64) ([]WebhookDelivery, error) {
	var out []WebhookDelivery
	err := s.each(ctx, "SELECT "+webhookCols+" FROM webhook_deliveries WHERE bot_id = ? ORDER BY id", []any{botID},
		func(r *sql.Rows) error {
			d, err := scanWebhook(r)
			out = append(out, d)
			return err
		})
	return out, err
}

func (s *db) webhookRow(ctx context.Context, q string, args ...any) (WebhookDelivery, error) {
	var d WebhookDelivery
	err := s.each(ctx, q, args, func(r *sql.Rows) error {
		var err error
		d, err = scanWebhook(r)
		return err
	})
	if err == nil && d.ID == 0 {
		err = ErrNotFound
	}
	return d, err
}

func scanWebhook(r *sql.Rows) (WebhookDelivery, error) {
	var d WebhookDelivery
	var status string
	err := r.Scan(&d.ID, &d.BotID, &d.UserID, &d.URL, &d.Event, &status, rawCol{&d.Payload}, &d.Attempts,
		nullTimeCol{&d.NextAttemptAt}, &d.LastStatus, &d.LastError, nullTimeCol{&d.DeliveredAt},
		strCol{&d.ClaimHolder}, nullTimeCol{&d.ClaimUntil}, timeCol{&d.CreatedAt})
	d.Status = api.BotStatus(status)
	return d, err
}
