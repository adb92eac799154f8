package daemon_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

const testWebhookSecret = "whsec_test"

// webhookConfig lets webhooks reach the loopback receivers and retries
// within milliseconds. The workers run only once, at start: these bots end
// by themselves, and a scheduler sweep racing the create request's own
// admission could answer the create with a conflict.
func webhookConfig() daemon.Config {
	ms := 20 * time.Millisecond
	return daemon.Config{WebhookSecret: testWebhookSecret, WebhookAllowPrivate: true,
		WebhookBackoff: []time.Duration{ms, ms, ms, ms, ms}, WorkerInterval: time.Hour}
}

// hit is one request a receiver got.
type hit struct {
	header http.Header
	body   []byte
}

// receiver is a loopback webhook endpoint answering with the statuses of
// answers in turn, then 200.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	hits    []hit
	answers []int
}

func newReceiver(t *testing.T, answers ...int) *receiver {
	r := &receiver{answers: answers}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.hits = append(r.hits, hit{header: req.Header.Clone(), body: body})
		status := http.StatusOK
		if len(r.answers) > 0 {
			status, r.answers = r.answers[0], r.answers[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// webhookEvents returns a bot's WEBHOOK_* events.
func webhookEvents(t *testing.T, c *api.Client, id int64) []api.Event {
	t.Helper()
	evs, err := c.Bots().Events(context.Background(), id, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []api.Event
	for _, e := range evs.Items {
		if strings.HasPrefix(e.Type, "WEBHOOK_") {
			out = append(out, e)
		}
	}
	return out
}

// settled waits until a bot's webhook was delivered or given up, and
// returns its WEBHOOK_* events.
func settled(t *testing.T, d *daemontest.Daemon, id int64) []api.Event {
	t.Helper()
	var evs []api.Event
	eventually(t, "the webhook to be delivered or given up", func() bool {
		ds, err := d.Store.ListWebhookDeliveries(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 0 || ds[0].NextAttemptAt != nil {
			return false
		}
		evs = webhookEvents(t, d.Admin, id)
		return len(evs) == ds[0].Attempts
	})
	return evs
}

func createWithCallback(t *testing.T, c *api.Client, url string) *api.Bot {
	t.Helper()
	b, err := c.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL},
		CallbackURL: url, Metadata: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhookSignedOnDone(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		rcv := newReceiver(t)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Config: webhookConfig()})
		b := createWithCallback(t, d.Admin, rcv.URL+"/hook")
		waitStatus(t, d.Admin, b.ID, api.StatusDone)
		evs := settled(t, d, b.ID)
		hits := rcv.got()
		if len(hits) != 1 || len(evs) != 1 || evs[0].Type != "WEBHOOK_DELIVERED" {
			t.Fatalf("%d requests, events %v; want one request and WEBHOOK_DELIVERED", len(hits), evs)
		}
		checkSigned(t, hits[0])
		var p api.BotEndedWebhook
		if err := json.Unmarshal(hits[0].body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Type != api.WebhookBotEnded || p.BotID != b.ID || p.Status != api.StatusDone ||
			p.Reason != api.ReasonCompleted || p.Metadata["team"] != "a" || p.EndedAt.IsZero() {
			t.Fatalf("payload %+v", p)
		}
	})
}

// checkSigned checks a request's headers and that its signature verifies
// with the secret, and only with it.
func checkSigned(t *testing.T, h hit) {
	t.Helper()
	ts, sig := h.header.Get(api.WebhookTimestampHeader), h.header.Get(api.WebhookSignatureHeader)
	if !api.VerifyWebhook([]byte(testWebhookSecret), ts, sig, h.body) {
		t.Fatalf("signature %q of timestamp %q does not verify", sig, ts)
	}
	if api.VerifyWebhook([]byte("other"), ts, sig, h.body) || api.VerifyWebhook([]byte(testWebhookSecret), ts, sig, append(h.body, ' ')) {
		t.Fatal("signature verifies with another secret or body")
	}
	if h.header.Get("Content-Type") != "application/json" || h.header.Get("User-Agent") != "meeboter-webhooks" ||
		h.header.Get(api.WebhookDeliveryHeader) == "" {
		t.Fatalf("headers %v", h.header)
	}
}

func TestWebhookRetriedUntilDelivered(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		rcv := newReceiver(t, http.StatusInternalServerError, http.StatusInternalServerError)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Config: webhookConfig()})
		b := createWithCallback(t, d.Admin, rcv.URL)
		waitStatus(t, d.Admin, b.ID, api.StatusDone)
		evs := settled(t, d, b.ID)
		var types []string
		for _, e := range evs {
			types = append(types, e.Type)
		}
		if got := strings.Join(types, ","); got != "WEBHOOK_FAILED,WEBHOOK_FAILED,WEBHOOK_DELIVERED" {
			t.Fatalf("events %s", got)
		}
		if !strings.Contains(string(evs[0].Data), `"statusCode":500`) || !strings.Contains(string(evs[0].Data), "nextAttemptAt") {
			t.Fatalf("failed attempt data %s", evs[0].Data)
		}
		hits := rcv.got()
		if len(hits) != 3 {
			t.Fatalf("%d requests, want 3", len(hits))
		}
		for _, h := range hits {
			checkSigned(t, h)
			if h.header.Get(api.WebhookDeliveryHeader) != hits[0].header.Get(api.WebhookDeliveryHeader) {
				t.Fatal("retries carry another delivery id")
			}
		}
		ds, _ := d.Store.ListWebhookDeliveries(t.Context(), b.ID)
		if ds[0].DeliveredAt == nil || ds[0].Attempts != 3 || ds[0].LastStatus != 200 {
			t.Fatalf("delivery %+v", ds[0])
		}
	})
}

func TestWebhookGivenUp(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, 500, 500, 500, 500, 500, 500, 500)
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	b := createWithCallback(t, d.Admin, rcv.URL)
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	evs := settled(t, d, b.ID)
	if len(evs) != 6 || len(rcv.got()) != 6 || !strings.Contains(string(evs[5].Data), `"gaveUp":true`) {
		t.Fatalf("%d events, %d requests, last %s; want 6 attempts, the last giving up", len(evs), len(rcv.got()), evs[len(evs)-1].Data)
	}
}

func TestWebhookRefusesLoopback(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	cfg := webhookConfig()
	cfg.WebhookAllowPrivate = false
	d := daemontest.Start(t, daemontest.Options{Config: cfg})
	b := createWithCallback(t, d.Admin, rcv.URL)
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	evs := settled(t, d, b.ID)
	if len(evs) != 1 || evs[0].Type != "WEBHOOK_FAILED" || !strings.Contains(string(evs[0].Data), "loopback") ||
		!strings.Contains(string(evs[0].Data), `"gaveUp":true`) {
		t.Fatalf("events %v; want one WEBHOOK_FAILED giving up on a loopback address", evs)
	}
	if n := len(rcv.got()); n != 0 {
		t.Fatalf("receiver got %d requests", n)
	}
	ds, _ := d.Store.ListWebhookDeliveries(t.Context(), b.ID)
	if !ds[0].GivenUp() || !strings.Contains(ds[0].LastError, "refused") {
		t.Fatalf("delivery %+v", ds[0])
	}
}

func TestWebhookOnlyWithCallback(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	plain, err := d.Admin.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	if err != nil {
		t.Fatal(err)
	}
	hooked := createWithCallback(t, d.Admin, rcv.URL)
	waitStatus(t, d.Admin, plain.ID, api.StatusDone)
	waitStatus(t, d.Admin, hooked.ID, api.StatusDone)
	settled(t, d, hooked.ID)
	ds, err := d.Store.ListWebhookDeliveries(t.Context(), plain.ID)
	if err != nil || len(ds) != 0 || len(webhookEvents(t, d.Admin, plain.ID)) != 0 {
		t.Fatalf("bot without callback URL: %d deliveries, %v", len(ds), err)
	}
	var p api.BotEndedWebhook
	if hits := rcv.got(); len(hits) != 1 || json.Unmarshal(hits[0].body, &p) != nil || p.BotID != hooked.ID {
		t.Fatalf("receiver got %d requests (%+v), want one for bot %d", len(hits), p, hooked.ID)
	}
}

// TestWebhookTwoDaemonsPostgres ends bots on two daemons sharing a database
// and checks each webhook arrives once.
func TestWebhookTwoDaemonsPostgres(t *testing.T) {
	t.Parallel()
	cfg := storetest.PostgresConfig(t) // skips when no PostgreSQL is configured
	plat := quickBots(10)
	t.Cleanup(func() { _ = plat.Close() })
	rcv := newReceiver(t)
	var ds []*daemontest.Daemon
	for range 2 {
		ds = append(ds, daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, cfg),
			Platforms: []platforms.Platform{plat}, Config: webhookConfig()}))
	}
	const n = 10
	var ids []int64
	for i := range n {
		ids = append(ids, createWithCallback(t, ds[i%2].Admin, rcv.URL).ID)
	}
	for _, id := range ids {
		waitStatus(t, ds[0].Admin, id, api.StatusDone)
		settled(t, ds[0], id)
	}
	seen := map[int64]int{}
	for _, h := range rcv.got() {
		checkSigned(t, h)
		var p api.BotEndedWebhook
		if err := json.Unmarshal(h.body, &p); err != nil {
			t.Fatal(err)
		}
		seen[p.BotID]++
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("bot %d: %d webhooks, want 1", id, seen[id])
		}
	}
}
