package daemon_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/store"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// verifies reports whether a request's Standard Webhooks signature checks
// out, with the published library, against secret.
func verifies(t *testing.T, secret string, h hit) bool {
	t.Helper()
	lib, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatalf("the library refuses the secret %q: %v", secret, err)
	}
	return lib.Verify(h.body, h.header) == nil
}

func createEndpoint(t *testing.T, c *api.Client, url string, types ...string) *api.CreatedWebhookEndpoint {
	t.Helper()
	e, err := c.Webhooks().Create(t.Context(), api.CreateWebhookRequest{URL: url, EventTypes: types, Description: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestWebhookEndpoint registers an endpoint taking bot.ended only, ends a
// bot, and checks the endpoint got exactly that, signed with its own
// secret, and that its delivery log and resend work.
func TestWebhookEndpoint(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		rcv := newReceiver(t)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Config: webhookConfig()})
		e := createEndpoint(t, d.Admin, rcv.URL+"/ends", api.WebhookBotEnded)
		if key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(e.Secret, "whsec_")); err != nil || len(key) != 32 {
			t.Fatalf("secret %q: want whsec_ and the base64 of 32 bytes", e.Secret)
		}
		stored, err := d.Store.GetWebhookEndpoint(t.Context(), 0, e.ID)
		if err != nil || strings.Contains(stored.Secret, strings.TrimPrefix(e.Secret, "whsec_")) {
			t.Fatalf("stored secret %q (%v): want it sealed, never in the clear", stored.Secret, err)
		}
		b := createBot(t, d.Admin, api.CreateBotRequest{Metadata: map[string]string{"team": "a"}})
		waitStatus(t, d.Admin, b.ID, api.StatusDone)
		var hits []hit
		eventually(t, "bot.ended at the endpoint", func() bool { hits = rcv.got(); return len(hits) == 1 })
		if hits[0].typ != api.WebhookBotEnded || hits[0].botID != b.ID || !verifies(t, e.Secret, hits[0]) {
			t.Fatalf("endpoint got %s for bot %d, verifying: %v", hits[0].typ, hits[0].botID, verifies(t, e.Secret, hits[0]))
		}
		if verifies(t, testWebhookSecret, hits[0]) || hits[0].header.Get("X-Meeboter-Signature") != "" {
			t.Fatal("an endpoint's webhook is signed with the daemon's secret, or carries the deprecated headers")
		}
		var dl api.WebhookDelivery
		eventually(t, "the attempt to be recorded", func() bool {
			log, err := d.Admin.Webhooks().Deliveries(t.Context(), e.ID, "", 10)
			if err != nil || len(log.Items) != 1 {
				t.Fatalf("delivery log %+v, %v", log, err)
			}
			dl = log.Items[0]
			return dl.State != api.DeliveryPending
		})
		if dl.State != api.DeliveryDelivered || dl.StatusCode != 200 || dl.Attempts != 1 || dl.Response != "received bot.ended" ||
			dl.LastAttemptAt == nil || dl.EventType != api.WebhookBotEnded || dl.MessageID != hits[0].header.Get(api.HeaderWebhookID) {
			t.Fatalf("delivery %+v", dl)
		}
		again, err := d.Admin.Webhooks().Resend(t.Context(), dl.ID)
		if err != nil || again.ID == dl.ID || again.MessageID != dl.MessageID {
			t.Fatalf("resend %+v, %v: want a new delivery of the same message", again, err)
		}
		eventually(t, "the resend to arrive", func() bool { hits = rcv.got(); return len(hits) == 2 })
		if hits[1].header.Get(api.HeaderWebhookID) != dl.MessageID || string(hits[1].body) != string(hits[0].body) || !verifies(t, e.Secret, hits[1]) {
			t.Fatalf("resent %s %s", hits[1].header.Get(api.HeaderWebhookID), hits[1].body)
		}
	})
}

// TestWebhookEndpointScoped checks another user's endpoint and deliveries
// are not found, whatever the call.
func TestWebhookEndpointScoped(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	mine := createEndpoint(t, d.Admin, rcv.URL)
	b := createBot(t, d.Admin, api.CreateBotRequest{})
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	var dl *api.List[api.WebhookDelivery]
	eventually(t, "a delivery", func() bool {
		var err error
		dl, err = d.Admin.Webhooks().Deliveries(t.Context(), mine.ID, "", 1)
		return err == nil && len(dl.Items) == 1
	})
	other, _ := d.NewUser(t, "other@example.com")
	url := rcv.URL + "/theirs"
	for name, call := range map[string]func() error{
		"get": func() error { _, err := other.Webhooks().Get(t.Context(), mine.ID); return err },
		"update": func() error {
			_, err := other.Webhooks().Update(t.Context(), mine.ID, api.UpdateWebhookRequest{URL: &url})
			return err
		},
		"delete":     func() error { return other.Webhooks().Delete(t.Context(), mine.ID) },
		"rotate":     func() error { _, err := other.Webhooks().RotateSecret(t.Context(), mine.ID); return err },
		"deliveries": func() error { _, err := other.Webhooks().Deliveries(t.Context(), mine.ID, "", 10); return err },
		"resend":     func() error { _, err := other.Webhooks().Resend(t.Context(), dl.Items[0].ID); return err },
	} {
		t.Run(name, func(t *testing.T) { wantError(t, call(), http.StatusNotFound, api.CodeNotFound) })
	}
	list, err := other.Webhooks().List(t.Context(), "", 10)
	if err != nil || len(list.Items) != 0 {
		t.Fatalf("the other user lists %+v, %v", list, err)
	}
}

// TestWebhookEndpointValidation checks bad requests name their fields.
func TestWebhookEndpointValidation(t *testing.T) {
	t.Parallel()
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	_, err := d.Admin.Webhooks().Create(t.Context(), api.CreateWebhookRequest{URL: "ftp://x", EventTypes: []string{"bot.ended", "bot.exploded", "bot.ended"}})
	wantFields(t, err, "url", "eventTypes[1]", "eventTypes[2]")
	e := createEndpoint(t, d.Admin, "https://hooks.example/x")
	off := false
	_, err = d.Admin.Webhooks().Update(t.Context(), e.ID, api.UpdateWebhookRequest{Enabled: &off, EventTypes: &[]string{"nope"}})
	wantFields(t, err, "enabled", "eventTypes[0]")
	req, _ := http.NewRequest(http.MethodPost, d.URL+"/v1/webhooks", strings.NewReader(`{"url":"https://hooks.example/y"}`))
	req.Header.Set("Authorization", "Bearer "+d.AdminKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "k1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("create with an Idempotency-Key: %d, want 400 (its secret would be stored to replay)", resp.StatusCode)
	}
}

// wantFields checks err is a validation problem naming exactly fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	p := wantError(t, err, http.StatusUnprocessableEntity, api.CodeValidation)
	got := map[string]bool{}
	for _, f := range p.Errors {
		got[f.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("field %s not named in %+v", f, p.Errors)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("fields %+v, want %v", p.Errors, fields)
	}
}

// TestWebhookRotateSecret rotates an endpoint's secret: the webhooks that
// follow verify with the new secret and, for receivers not yet switched,
// with the old one.
func TestWebhookRotateSecret(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	e := createEndpoint(t, d.Admin, rcv.URL, api.WebhookBotEnded)
	r, err := d.Admin.Webhooks().RotateSecret(t.Context(), e.ID)
	if err != nil || r.Secret == e.Secret || r.PreviousSecretExpiresAt == nil {
		t.Fatalf("rotated %+v, %v", r, err)
	}
	b := createBot(t, d.Admin, api.CreateBotRequest{})
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	var hits []hit
	eventually(t, "a webhook after the rotation", func() bool { hits = rcv.got(); return len(hits) == 1 })
	if n := len(strings.Fields(hits[0].header.Get(api.HeaderWebhookSignature))); n != 2 {
		t.Fatalf("%d signatures, want one per secret", n)
	}
	if !verifies(t, r.Secret, hits[0]) || !verifies(t, e.Secret, hits[0]) {
		t.Fatal("the webhook does not verify with both the new and the old secret")
	}
}

// TestWebhookEndpointDisabledOnGone answers 410 Gone: the endpoint is
// disabled at once, the user's other endpoint hears of it, and enabling it
// again makes it receive again.
func TestWebhookEndpointDisabledOnGone(t *testing.T) {
	t.Parallel()
	gone := newReceiverFunc(t, func(int, hit) int { return http.StatusGone })
	ops := newReceiver(t)
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	e := createEndpoint(t, d.Admin, gone.URL)
	watcher := createEndpoint(t, d.Admin, ops.URL, api.WebhookEndpointDisabled)
	b := createBot(t, d.Admin, api.CreateBotRequest{})
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	var notice []hit
	eventually(t, "the notice to the other endpoint", func() bool { notice = ops.got(); return len(notice) == 1 })
	var p api.EndpointDisabledWebhook
	if err := json.Unmarshal(notice[0].body, &p); err != nil || p.EndpointID != e.ID || !strings.Contains(p.Reason, "410") || !verifies(t, watcher.Secret, notice[0]) {
		t.Fatalf("notice %s (%v)", notice[0].body, err)
	}
	got, err := d.Admin.Webhooks().Get(t.Context(), e.ID)
	if err != nil || got.DisabledAt == nil || !strings.Contains(got.DisabledReason, "410") {
		t.Fatalf("endpoint %+v, %v: want it disabled, saying why", got, err)
	}
	if n := len(gone.got()); n != 1 {
		t.Fatalf("the gone receiver got %d requests, want only the first", n)
	}
	on := true
	if got, err = d.Admin.Webhooks().Update(t.Context(), e.ID, api.UpdateWebhookRequest{Enabled: &on}); err != nil || got.DisabledAt != nil {
		t.Fatalf("enabled %+v, %v", got, err)
	}
}
