package webhook

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// RotationOverlap is how long a replaced secret keeps signing, so a
// receiver can switch to the new one without dropping a webhook.
const RotationOverlap = 24 * time.Hour

// maxEndpoints bounds a user's endpoints: every event fans out to each.
const maxEndpoints = 20

// Endpoints manages the webhook endpoints users register. Their signing
// secrets are generated here, shown once, and stored only sealed.
type Endpoints struct {
	store  store.Store
	sealer *Sealer
	now    func() time.Time
	kick   func() // a resent delivery goes at once
}

// NewEndpoints returns the service; kick wakes the deliverer.
func NewEndpoints(st store.Store, sealer *Sealer, now func() time.Time, kick func()) *Endpoints {
	return &Endpoints{store: st, sealer: sealer, now: now, kick: kick}
}

// Create registers an endpoint of userID and returns it with its secret,
// which is never shown again.
func (s *Endpoints) Create(ctx context.Context, userID int64, req api.CreateWebhookRequest) (store.WebhookEndpoint, string, error) {
	v := &domain.Validator{}
	checkURL(v, req.URL)
	checkTypes(v, req.EventTypes)
	v.MaxLen(req.Description, 256, "description")
	if err := v.Err(); err != nil {
		return store.WebhookEndpoint{}, "", err
	}
	existing, err := s.store.ListWebhookEndpoints(ctx, userID, store.Page{Limit: maxEndpoints + 1})
	if err != nil {
		return store.WebhookEndpoint{}, "", err
	}
	if len(existing) >= maxEndpoints {
		return store.WebhookEndpoint{}, "", domain.Conflict("you have %d webhook endpoints, the most allowed; delete one first", len(existing))
	}
	secret := NewSecret()
	e, err := s.store.CreateWebhookEndpoint(ctx, store.NewWebhookEndpoint{UserID: userID, URL: req.URL, Description: req.Description,
		EventTypes: req.EventTypes, Secret: s.sealer.Seal(userID, secret), Now: s.now()})
	return e, secret, err
}

// checkURL accepts absolute http(s) URLs. Where they may lead is checked
// on every connection (see webhookDialer), not here: a name's address can
// change after it is registered.
func checkURL(v *domain.Validator, raw string) {
	u, err := url.Parse(raw)
	v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil && len(raw) <= 1024,
		"url", "must be an http(s) URL without credentials, of at most 1024 bytes")
}

// checkTypes accepts known event types, each once.
func checkTypes(v *domain.Validator, types []string) {
	seen := map[string]bool{}
	for i, t := range types {
		v.Check(eventTypes[t], domain.Index("eventTypes", i), "%q is not an event type (one of %v)", t, api.WebhookEventTypes)
		v.Check(!seen[t], domain.Index("eventTypes", i), "%q is listed twice", t)
		seen[t] = true
	}
}

// Get reads an endpoint of userID.
func (s *Endpoints) Get(ctx context.Context, userID, id int64) (store.WebhookEndpoint, error) {
	e, err := s.store.GetWebhookEndpoint(ctx, userID, id)
	return e, domain.NotFoundIf(err, "webhook endpoint")
}

// List pages userID's endpoints, newest first.
func (s *Endpoints) List(ctx context.Context, userID int64, p store.Page) ([]store.WebhookEndpoint, error) {
	return s.store.ListWebhookEndpoints(ctx, userID, p)
}

// Update changes an endpoint; Enabled=true turns a disabled one back on.
// Disabling by hand is deleting: there is no paused state to forget.
func (s *Endpoints) Update(ctx context.Context, userID, id int64, req api.UpdateWebhookRequest) (store.WebhookEndpoint, error) {
	v := &domain.Validator{}
	if req.URL != nil {
		checkURL(v, *req.URL)
	}
	if req.EventTypes != nil {
		checkTypes(v, *req.EventTypes)
	}
	if req.Description != nil {
		v.MaxLen(*req.Description, 256, "description")
	}
	v.Check(req.Enabled == nil || *req.Enabled, "enabled", "may only be true (delete an endpoint to stop it)")
	if err := v.Err(); err != nil {
		return store.WebhookEndpoint{}, err
	}
	e, err := s.store.UpdateWebhookEndpoint(ctx, userID, id, store.WebhookEndpointPatch{URL: req.URL, Description: req.Description,
		EventTypes: req.EventTypes, Enable: req.Enabled != nil, Now: s.now()})
	return e, domain.NotFoundIf(err, "webhook endpoint")
}

// Delete removes an endpoint and its delivery log.
func (s *Endpoints) Delete(ctx context.Context, userID, id int64) error {
	return domain.NotFoundIf(s.store.DeleteWebhookEndpoint(ctx, userID, id), "webhook endpoint")
}

// Rotate gives an endpoint a new secret, returned once; for a day every
// webhook is signed with both the new and the old one.
func (s *Endpoints) Rotate(ctx context.Context, userID, id int64) (store.WebhookEndpoint, string, error) {
	secret := NewSecret()
	now := s.now()
	e, err := s.store.RotateWebhookSecret(ctx, store.RotateWebhookSecretParams{UserID: userID, ID: id,
		Secret: s.sealer.Seal(userID, secret), PreviousUntil: now.Add(RotationOverlap), Now: now})
	if err != nil {
		return e, "", domain.NotFoundIf(err, "webhook endpoint")
	}
	return e, secret, nil
}

// Deliveries pages the delivery log of an endpoint, newest first.
func (s *Endpoints) Deliveries(ctx context.Context, userID, id int64, p store.Page) ([]store.WebhookDelivery, error) {
	ds, err := s.store.ListEndpointDeliveries(ctx, userID, id, p)
	return ds, domain.NotFoundIf(err, "webhook endpoint")
}

// Resend sends a delivery of userID's again, as a new delivery of the same
// message (the same webhook-id, so a receiver that got it before can tell).
func (s *Endpoints) Resend(ctx context.Context, userID, deliveryID int64) (store.WebhookDelivery, error) {
	d, err := s.store.ResendWebhook(ctx, userID, deliveryID, s.now())
	switch {
	case errors.Is(err, store.ErrConflict):
		return d, domain.Conflict("the endpoint is disabled; enable it with PATCH enabled=true first")
	case err != nil:
		return d, domain.NotFoundIf(err, "webhook delivery")
	}
	s.kick()
	return d, nil
}
