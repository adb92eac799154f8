package webhook

import (
	"errors"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// TestEndpointKeys checks which secrets sign an endpoint's webhooks: the
// current one, and the one a rotation replaced until its day is over.
func TestEndpointKeys(t *testing.T) {
	t.Parallel()
	sealer, _ := NewSealer([]byte("whsec_daemon"))
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	w := &Deliverer{sealer: sealer, now: func() time.Time { return now }}
	current, old := NewSecret(), NewSecret()
	until := now.Add(time.Hour)
	e := store.WebhookEndpoint{UserID: 3, Secret: sealer.Seal(3, current), PreviousSecret: sealer.Seal(3, old), PreviousUntil: &until}
	keys, err := w.endpointKeys(e)
	if err != nil || len(keys) != 2 || string(keys[0]) != string(api.WebhookKey(current)) || string(keys[1]) != string(api.WebhookKey(old)) {
		t.Fatalf("within the overlap: %d keys, %v; want the new secret's, then the old one's", len(keys), err)
	}
	now = until
	if keys, err = w.endpointKeys(e); err != nil || len(keys) != 1 {
		t.Fatalf("after the overlap: %d keys, %v; want the new secret's alone", len(keys), err)
	}
	e.Secret = sealer.Seal(4, current)
	if _, err := w.endpointKeys(e); !errors.Is(err, ErrUnseal) {
		t.Fatalf("a secret sealed for another owner: %v, want ErrUnseal", err)
	}
}
