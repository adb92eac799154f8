package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

// statusChange is what the outbox needs to know of one change of a bot's
// status besides the bot itself.
type statusChange struct {
	from    api.BotStatus
	subCode string
	detail  string
	now     time.Time
	// wait estimates the wait at a queue position; nil when the caller
	// cannot tell.
	wait func(position int) time.Duration
	// position is a queued bot's place when the caller knows it (0: read
	// it).
	position int
}

// statusChanged enqueues the webhooks of a bot's new status, inside the
// transaction that changed it: bot.status_changed always, then bot.queued,
// bot.ended and bot.recording_ready where they apply. A status repeated
// (a bot reporting IN_CALL twice) is no change and sends nothing.
func (s *db) statusChanged(ctx context.Context, b Bot, c statusChange) error {
	if c.from == b.Status {
		return nil
	}
	endpoints, err := s.enabledEndpoints(ctx, b.UserID, 0)
	if err != nil || (len(endpoints) == 0 && b.CallbackURL == "") {
		return err // no one to tell: a queued bot's place and wait are not worked out
	}
	at := c.now.UTC().Truncate(time.Microsecond)
	meta := nonNilMap(b.Metadata)
	events := []outboxEvent{{api.WebhookBotStatusChanged, api.BotStatusChangedWebhook{Type: api.WebhookBotStatusChanged,
		Timestamp: at, BotID: b.ID, From: c.from, To: b.Status, SubCode: c.subCode, Detail: c.detail, Metadata: meta}}}
	switch {
	case b.Status == api.StatusQueued:
		ev, err := s.queuedEvent(ctx, b, c, at)
		if err != nil {
			return err
		}
		events = append(events, ev)
	case b.Status.Terminal():
		events = append(events, outboxEvent{api.WebhookBotEnded, botEndedPayload(b, at)})
		if b.Status == api.StatusDone && b.RecordingKey != "" {
			events = append(events, outboxEvent{api.WebhookBotRecordingReady, api.BotRecordingReadyWebhook{
				Type: api.WebhookBotRecordingReady, Timestamp: at, BotID: b.ID, Recording: b.RecordingKey, Metadata: meta}})
		}
	}
	return s.enqueueTo(ctx, b, endpoints, events, c.now)
}

// queuedEvent is bot.queued with the bot's place in the queue.
func (s *db) queuedEvent(ctx context.Context, b Bot, c statusChange, at time.Time) (outboxEvent, error) {
	pos := c.position
	if pos == 0 {
		var err error
		if pos, err = s.queuePosition(ctx, b.ID); err != nil {
			return outboxEvent{}, err
		}
	}
	p := api.BotQueuedWebhook{Type: api.WebhookBotQueued, Timestamp: at, BotID: b.ID, Position: pos, Metadata: nonNilMap(b.Metadata)}
	if c.wait != nil {
		p.EstimatedWaitSeconds = int64(c.wait(pos).Seconds())
	}
	return outboxEvent{api.WebhookBotQueued, p}, nil
}

// botEndedPayload is the body receivers get for an ended bot.
func botEndedPayload(b Bot, at time.Time) api.BotEndedWebhook {
	ended := at
	if b.EndedAt != nil {
		ended = *b.EndedAt
	}
	return api.BotEndedWebhook{
		Type: api.WebhookBotEnded, Timestamp: ended, BotID: b.ID, Status: b.Status, Reason: b.EndReason,
		Detail: b.EndDetail, EndedAt: ended, Metadata: nonNilMap(b.Metadata),
	}
}

// outboxEvent is one event to enqueue: its type and body.
type outboxEvent struct {
	typ     string
	payload any
}

// enqueueBotEvents enqueues each event, in order, to the bot's callback
// URL and to every enabled endpoint of its owner that takes the type. The
// deliveries of one event share its message id.
func (s *db) enqueueBotEvents(ctx context.Context, b Bot, events []outboxEvent, now time.Time) error {
	endpoints, err := s.enabledEndpoints(ctx, b.UserID, 0)
	if err != nil {
		return err
	}
	return s.enqueueTo(ctx, b, endpoints, events, now)
}

// enqueueTo writes the events for the bot's callback URL and the given
// endpoints of its owner.
func (s *db) enqueueTo(ctx context.Context, b Bot, endpoints []WebhookEndpoint, events []outboxEvent, now time.Time) error {
	var rows []NewWebhookDelivery
	for _, ev := range events {
		body, err := json.Marshal(ev.payload)
		if err != nil {
			return fmt.Errorf("store: encode webhook: %w", err)
		}
		base := NewWebhookDelivery{BotID: b.ID, UserID: b.UserID, MessageID: newMessageID(), Event: ev.typ,
			Status: b.Status, Payload: body, Now: now}
		if b.CallbackURL != "" {
			d := base
			d.URL = b.CallbackURL
			rows = append(rows, d)
		}
		for _, e := range endpoints {
			if e.Wants(ev.typ) {
				d := base
				d.EndpointID, d.URL = e.ID, e.URL
				rows = append(rows, d)
			}
		}
	}
	return s.insertDeliveries(ctx, rows)
}

// insertDeliveries writes outbox rows, all due at their Now.
func (s *db) insertDeliveries(ctx context.Context, rows []NewWebhookDelivery) error {
	if len(rows) == 0 {
		return nil
	}
	err := s.insertRows(ctx, "INSERT INTO webhook_deliveries (bot_id, user_id, endpoint_id, url, message_id, sequence_key, "+
		"event, status, payload, next_attempt_at, created_at) VALUES ", 11, len(rows), "", func(i int) []any {
		d := rows[i]
		now := s.d.at(d.Now)
		return []any{nullID(d.BotID), d.UserID, nullID(d.EndpointID), d.URL, orNewMessageID(d.MessageID),
			sequenceKey(d.BotID, d.EndpointID), d.Event, string(d.Status), string(d.Payload), now, now}
	})
	if err == nil {
		s.outboxAdded() // in a transaction, told after its commit
	}
	return err
}

// sequenceKey names the deliveries that go out one after another: one
// bot's events to one target. Endpoint events have no bot and are ordered
// per endpoint.
func sequenceKey(botID, endpointID int64) string {
	switch {
	case botID == 0:
		return fmt.Sprintf("e%d", endpointID)
	case endpointID == 0:
		return fmt.Sprintf("b%d:callback", botID)
	}
	return fmt.Sprintf("b%d:e%d", botID, endpointID)
}

// newMessageID returns a webhook-id: random, and free of the "." that
// separates the signed fields.
func newMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "msg_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func orNewMessageID(id string) string {
	if id == "" {
		return newMessageID()
	}
	return id
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// WaitEstimate is the wait at a queue position: capacity frees in waves of
// the total limit, each as long as runTime. The queue listing and the
// bot.queued webhook both use it.
func WaitEstimate(position, capacity int, runTime time.Duration) time.Duration {
	if capacity <= 0 {
		return runTime * time.Duration(position)
	}
	return runTime * time.Duration((position+capacity-1)/capacity)
}
