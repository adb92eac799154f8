package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
)

const endpointCols = "id, user_id, url, description, event_types, secret, previous_secret, previous_until, " +
	"failing_since, disabled_at, disabled_reason, created_at, updated_at"

func scanEndpoint(r interface{ Scan(...any) error }, e *WebhookEndpoint) error {
	*e = WebhookEndpoint{}
	return r.Scan(&e.ID, &e.UserID, &e.URL, &e.Description, jsonCol{&e.EventTypes}, &e.Secret, strCol{&e.PreviousSecret},
		nullTimeCol{&e.PreviousUntil}, nullTimeCol{&e.FailingSince}, nullTimeCol{&e.DisabledAt}, &e.DisabledReason,
		timeCol{&e.CreatedAt}, timeCol{&e.UpdatedAt})
}

func (s *db) endpointRow(ctx context.Context, q string, args ...any) (WebhookEndpoint, error) {
	s.endpointsWritten() // every write of an endpoint goes through here or calls it
	var e WebhookEndpoint
	err := mapErr(scanEndpoint(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &e))
	return e, err
}

// CreateWebhookEndpoint stores a new endpoint.
func (s *db) CreateWebhookEndpoint(ctx context.Context, p NewWebhookEndpoint) (WebhookEndpoint, error) {
	types, err := jsonArg(nonNilSlice(p.EventTypes))
	if err != nil {
		return WebhookEndpoint{}, err
	}
	now := s.d.at(p.Now)
	return s.endpointRow(ctx, "INSERT INTO webhook_endpoints (user_id, url, description, event_types, secret, created_at, updated_at) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "+endpointCols, p.UserID, p.URL, p.Description, types, p.Secret, now, now)
}

// GetWebhookEndpoint reads an endpoint of userID (0: of anyone).
func (s *db) GetWebhookEndpoint(ctx context.Context, userID, id int64) (WebhookEndpoint, error) {
	if userID == 0 {
		return s.endpointRow(ctx, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE id = ?", id)
	}
	return s.endpointRow(ctx, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE id = ? AND user_id = ?", id, userID)
}

// ListWebhookEndpoints pages a user's endpoints, newest first.
func (s *db) ListWebhookEndpoints(ctx context.Context, userID int64, p Page) ([]WebhookEndpoint, error) {
	q, args := newestFirst("SELECT "+endpointCols+" FROM webhook_endpoints WHERE user_id = ?", []any{userID}, p)
	return collect(ctx, s, q, args, func(r *sql.Rows, e *WebhookEndpoint) error { return scanEndpoint(r, e) })
}

// enabledEndpoints lists a user's enabled endpoints but except, for the
// fan-out of an event.
// In a transaction, the list of every enabled endpoint of a user is read
// once: an end and the admission it makes room for both fan out to the
// same owner's endpoints.
func (s *db) enabledEndpoints(ctx context.Context, userID, except int64) ([]WebhookEndpoint, error) {
	if s.noHooks {
		return nil, nil
	}
	if got, ok := s.hooks[userID]; ok && except == 0 {
		return got, nil
	}
	out, err := collect(ctx, s, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE user_id = ? AND id <> ? AND disabled_at IS NULL ORDER BY id",
		[]any{userID, except}, func(r *sql.Rows, e *WebhookEndpoint) error { return scanEndpoint(r, e) })
	if err == nil && except == 0 && s.inTx {
		if s.hooks == nil {
			s.hooks = map[int64][]WebhookEndpoint{}
		}
		s.hooks[userID] = out
	}
	return out, err
}

// endpointsWritten forgets the transaction's endpoint lists before a
// write of an endpoint.
func (s *db) endpointsWritten() { s.hooks, s.noHooks = nil, false }

// UpdateWebhookEndpoint changes an owned endpoint.
func (s *db) UpdateWebhookEndpoint(ctx context.Context, userID, id int64, p WebhookEndpointPatch) (WebhookEndpoint, error) {
	set := &setList{}
	set.add("updated_at = ?", s.d.at(p.Now))
	if p.URL != nil {
		set.add("url = ?", *p.URL)
	}
	if p.Description != nil {
		set.add("description = ?", *p.Description)
	}
	if p.EventTypes != nil {
		types, err := jsonArg(nonNilSlice(*p.EventTypes))
		if err != nil {
			return WebhookEndpoint{}, err
		}
		set.add("event_types = ?", types)
	}
	if p.Enable {
		set.add("disabled_at = NULL, disabled_reason = '', failing_since = NULL")
	}
	return s.endpointRow(ctx, "UPDATE webhook_endpoints SET "+set.String()+" WHERE id = ? AND user_id = ? RETURNING "+endpointCols,
		append(set.args, id, userID)...)
}

// DeleteWebhookEndpoint removes an owned endpoint; its deliveries go by
// cascade.
func (s *db) DeleteWebhookEndpoint(ctx context.Context, userID, id int64) error {
	s.endpointsWritten()
	n, err := s.exec(ctx, "DELETE FROM webhook_endpoints WHERE id = ? AND user_id = ?", id, userID)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// RotateWebhookSecret moves the current secret aside, still signing until
// p.PreviousUntil, and stores the new one.
func (s *db) RotateWebhookSecret(ctx context.Context, p RotateWebhookSecretParams) (WebhookEndpoint, error) {
	return s.endpointRow(ctx, "UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ?, secret = ?, updated_at = ? "+
		"WHERE id = ? AND user_id = ? RETURNING "+endpointCols, s.d.at(p.PreviousUntil), p.Secret, s.d.at(p.Now), p.ID, p.UserID)
}

// endpointAttempt keeps an endpoint's failure clock after an attempt of
// one of its deliveries, and disables it when a says so. It returns the
// endpoint when this attempt disabled it, and whether it is disabled.
func (s *db) endpointAttempt(ctx context.Context, id int64, a WebhookAttempt) (*WebhookEndpoint, bool, error) {
	if a.Delivered {
		s.endpointsWritten()
		_, err := s.exec(ctx, "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?", id)
		return nil, false, err
	}
	e, err := s.endpointRow(ctx, "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ? RETURNING "+endpointCols,
		s.d.at(a.Now), id)
	if errors.Is(err, ErrNotFound) {
		return nil, true, nil // deleted meanwhile: nothing more to send
	}
	if err != nil || e.DisabledAt != nil {
		return nil, e.DisabledAt != nil, err
	}
	reason := a.Disable
	if reason == "" && a.DisableAfter > 0 && e.FailingSince != nil && !a.Now.Before(e.FailingSince.Add(a.DisableAfter)) {
		reason = "every delivery failed since " + e.FailingSince.UTC().Format(time.RFC3339)
	}
	if reason == "" {
		return nil, false, nil
	}
	e, err = s.disableEndpoint(ctx, e, reason, a.Now)
	return &e, true, err
}

// disableEndpoint turns an endpoint off: its due deliveries are given up,
// and the owner's other endpoints hear of it.
func (s *db) disableEndpoint(ctx context.Context, e WebhookEndpoint, reason string, now time.Time) (WebhookEndpoint, error) {
	e, err := s.endpointRow(ctx, "UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE id = ? RETURNING "+endpointCols,
		s.d.at(now), reason, e.ID)
	if err != nil {
		return e, err
	}
	if _, err := s.exec(ctx, "UPDATE webhook_deliveries SET next_attempt_at = NULL, last_error = 'endpoint disabled: ' || ? "+
		"WHERE endpoint_id = ? AND next_attempt_at IS NOT NULL", reason, e.ID); err != nil {
		return e, err
	}
	others, err := s.enabledEndpoints(ctx, e.UserID, e.ID)
	if err != nil {
		return e, err
	}
	body, err := json.Marshal(api.EndpointDisabledWebhook{Type: api.WebhookEndpointDisabled,
		Timestamp: now.UTC().Truncate(time.Microsecond), EndpointID: e.ID, URL: e.URL, Reason: reason})
	if err != nil {
		return e, err
	}
	msg := newMessageID()
	var rows []NewWebhookDelivery
	for _, o := range others {
		if o.Wants(api.WebhookEndpointDisabled) {
			rows = append(rows, NewWebhookDelivery{UserID: e.UserID, EndpointID: o.ID, URL: o.URL, MessageID: msg,
				Event: api.WebhookEndpointDisabled, Payload: body, Now: now})
		}
	}
	return e, s.insertDeliveries(ctx, rows)
}
