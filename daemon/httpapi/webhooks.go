package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// The webhook endpoint handlers. Every one is scoped to the caller: another
// user's endpoint or delivery is not found.

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.CreateWebhookRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	e, secret, err := a.svc.Webhooks.Create(r.Context(), callerFrom(r.Context()).User.ID, req)
	if err != nil {
		return nil, err
	}
	return created{api.CreatedWebhookEndpoint{WebhookEndpoint: wire.Endpoint(e), Secret: secret}}, nil
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) (any, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	es, err := a.svc.Webhooks.List(r.Context(), callerFrom(r.Context()).User.ID, page)
	if err != nil {
		return nil, err
	}
	return api.List[api.WebhookEndpoint]{Items: wire.Map(es, wire.Endpoint),
		NextCursor: nextCursor(es, page.Limit, func(e store.WebhookEndpoint) int64 { return e.ID })}, nil
}

func (a *API) getWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	e, err := a.svc.Webhooks.Get(r.Context(), callerFrom(r.Context()).User.ID, id)
	if err != nil {
		return nil, err
	}
	return wire.Endpoint(e), nil
}

func (a *API) updateWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var req api.UpdateWebhookRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	e, err := a.svc.Webhooks.Update(r.Context(), callerFrom(r.Context()).User.ID, id, req)
	if err != nil {
		return nil, err
	}
	return wire.Endpoint(e), nil
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return noContent{}, a.svc.Webhooks.Delete(r.Context(), callerFrom(r.Context()).User.ID, id)
}

func (a *API) rotateWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	e, secret, err := a.svc.Webhooks.Rotate(r.Context(), callerFrom(r.Context()).User.ID, id)
	if err != nil {
		return nil, err
	}
	return api.CreatedWebhookEndpoint{WebhookEndpoint: wire.Endpoint(e), Secret: secret}, nil
}

func (a *API) webhookDeliveries(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	ds, err := a.svc.Webhooks.Deliveries(r.Context(), callerFrom(r.Context()).User.ID, id, page)
	if err != nil {
		return nil, err
	}
	return api.List[api.WebhookDelivery]{Items: wire.Map(ds, wire.Delivery),
		NextCursor: nextCursor(ds, page.Limit, func(d store.WebhookDelivery) int64 { return d.ID })}, nil
}

func (a *API) resendWebhook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	d, err := a.svc.Webhooks.Resend(r.Context(), callerFrom(r.Context()).User.ID, id)
	if err != nil {
		return nil, err
	}
	return created{wire.Delivery(d)}, nil
}

// holdsSecret are the routes whose answer holds a secret shown once. They
// take no Idempotency-Key: replaying the answer would mean storing the
// secret in the clear.
var holdsSecret = map[string]bool{"POST /v1/webhooks": true, "POST /v1/webhooks/{id}/rotate-secret": true}

// noReplay refuses an Idempotency-Key on a route that holds a secret,
// rather than ignore it and let a retry make a second endpoint.
func noReplay(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Idempotency-Key") != "" {
			writeProblem(w, r, newProblem(http.StatusBadRequest, api.CodeBadRequest,
				"this request's answer holds a secret shown once, so it cannot be replayed: send it without Idempotency-Key"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
