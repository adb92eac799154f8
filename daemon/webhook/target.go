package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// Why a delivery to an endpoint cannot be made.
var (
	errEndpointGone     = errors.New("the endpoint was deleted")
	errEndpointDisabled = errors.New("the endpoint is disabled")
)

// target resolves where a delivery goes. A callback delivery goes to the
// URL the bot had, signed with the daemon's secret, with the deprecated
// headers too. An endpoint delivery goes to the endpoint's URL as it is
// now (a corrected URL serves the retries), signed with its secret and,
// within a day of a rotation, the one before.
func (w *Deliverer) target(ctx context.Context, d store.WebhookDelivery) (target, error) {
	if d.EndpointID == 0 {
		return target{url: d.URL, keys: [][]byte{api.WebhookKey(string(w.cfg.Secret))}, legacy: w.cfg.Secret}, nil
	}
	e, err := w.store.GetWebhookEndpoint(ctx, 0, d.EndpointID)
	if errors.Is(err, store.ErrNotFound) {
		return target{}, errEndpointGone
	}
	if err != nil {
		return target{}, fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	if e.DisabledAt != nil {
		return target{}, errEndpointDisabled
	}
	keys, err := w.endpointKeys(e)
	return target{url: e.URL, keys: keys}, err
}

// endpointKeys opens the endpoint's secrets: the current one, and the
// previous one while it is still valid.
func (w *Deliverer) endpointKeys(e store.WebhookEndpoint) ([][]byte, error) {
	secret, err := w.sealer.Open(e.UserID, e.Secret)
	if err != nil {
		return nil, err
	}
	keys := [][]byte{api.WebhookKey(secret)}
	if e.PreviousSecret != "" && e.PreviousUntil != nil && w.now().Before(*e.PreviousUntil) {
		prev, err := w.sealer.Open(e.UserID, e.PreviousSecret)
		if err != nil {
			return nil, err
		}
		keys = append(keys, api.WebhookKey(prev))
	}
	return keys, nil
}

// attemptData is the bot event's data: which delivery, which attempt, what
// the receiver said, and what happens next.
func attemptData(a store.WebhookAttempt, d, rd store.WebhookDelivery) json.RawMessage {
	data := map[string]any{"deliveryId": d.ID, "attempt": d.Attempts + 1, "url": d.URL, "event": d.Event, "messageId": d.MessageID}
	if d.EndpointID != 0 {
		data["endpointId"] = d.EndpointID
	}
	if a.StatusCode != 0 {
		data["statusCode"] = a.StatusCode
	}
	if !a.Delivered {
		data["error"] = a.Error
		if rd.NextAttemptAt != nil {
			data["nextAttemptAt"] = rd.NextAttemptAt
		} else {
			data["gaveUp"] = true
		}
	}
	b, _ := json.Marshal(data)
	return b
}
