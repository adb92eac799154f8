package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// testWebhookSecret is a secret of the form releases before Standard
// Webhooks generated ("whsec_" and 64 hex digits), so every callback test
// also checks that such a secret keeps verifying, with both schemes.
const testWebhookSecret = "whsec_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

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
	typ    string // the body's event type
	botID  int64
}

// receiver is a loopback webhook endpoint; answer picks each request's
// status (nil: 200).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	hits   []hit
	answer func(n int, h hit) int // n counts the requests so far, from 0
}

func newReceiver(t *testing.T, answers ...int) *receiver {
	return newReceiverFunc(t, func(n int, _ hit) int {
		if n < len(answers) {
			return answers[n]
		}
		return http.StatusOK
	})
}

func newReceiverFunc(t *testing.T, answer func(n int, h hit) int) *receiver {
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var env api.WebhookEnvelope
		_ = json.Unmarshal(body, &env)
		h := hit{header: req.Header.Clone(), body: body, typ: env.Type, botID: env.BotID}
		r.mu.Lock()
		status := r.answer(len(r.hits), h)
		r.hits = append(r.hits, h)
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "received "+env.Type)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// ofBot keeps the hits about one bot, of one type when typ is set.
func ofBot(hits []hit, botID int64, typ string) []hit {
	var out []hit
	for _, h := range hits {
		if h.botID == botID && (typ == "" || h.typ == typ) {
			out = append(out, h)
		}
	}
	return out
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

// settled waits until every webhook of a bot was delivered or given up,
// and returns its deliveries and WEBHOOK_* events.
func settled(t *testing.T, d *daemontest.Daemon, id int64) ([]store.WebhookDelivery, []api.Event) {
	t.Helper()
	var ds []store.WebhookDelivery
	var evs []api.Event
	eventually(t, "the webhooks to be delivered or given up", func() bool {
		var err error
		if ds, err = d.Store.ListWebhookDeliveries(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		attempts := 0
		for _, x := range ds {
			if x.NextAttemptAt != nil {
				return false
			}
			attempts += x.Attempts
		}
		evs = webhookEvents(t, d.Admin, id)
		return len(ds) > 0 && len(evs) == attempts && ofTypeDone(ds)
	})
	return ds, evs
}

// ofTypeDone reports whether the outbox holds the bot's bot.ended: the
// last thing its end enqueues.
func ofTypeDone(ds []store.WebhookDelivery) bool {
	for _, d := range ds {
		if d.Event == api.WebhookBotEnded {
			return true
		}
	}
	return false
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

// TestWebhookCallbackEvents follows a bot to DONE and checks what its
// callback URL got: every status change, in order, then bot.ended, each
// verified with the Standard Webhooks library and by the deprecated
// scheme, with the same secret.
func TestWebhookCallbackEvents(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		rcv := newReceiver(t)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Config: webhookConfig()})
		b := createWithCallback(t, d.Admin, rcv.URL+"/hook")
		waitStatus(t, d.Admin, b.ID, api.StatusDone)
		ds, evs := settled(t, d, b.ID)
		hits := ofBot(rcv.got(), b.ID, "")
		if len(hits) != len(ds) || len(evs) != len(ds) {
			t.Fatalf("%d requests, %d deliveries, %d events; want one request and one event per delivery", len(hits), len(ds), len(evs))
		}
		ids := map[string]bool{}
		for _, h := range hits {
			checkSigned(t, h)
			ids[h.header.Get(api.HeaderWebhookID)] = true
		}
		if len(ids) != len(hits) {
			t.Fatalf("%d webhook ids for %d events", len(ids), len(hits))
		}
		checkChain(t, hits, api.StatusDone)
		var p api.BotEndedWebhook
		if err := json.Unmarshal(hits[len(hits)-1].body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Type != api.WebhookBotEnded || p.BotID != b.ID || p.Status != api.StatusDone ||
			p.Reason != api.ReasonCompleted || p.Metadata["team"] != "a" || p.EndedAt.IsZero() || !p.Timestamp.Equal(p.EndedAt) {
			t.Fatalf("payload %+v", p)
		}
	})
}

// checkChain checks a bot's requests are its status changes in order, from
// SCHEDULED without a gap to last, followed by bot.ended.
func checkChain(t *testing.T, hits []hit, last api.BotStatus) {
	t.Helper()
	at := api.StatusScheduled
	for i, h := range hits[:len(hits)-1] {
		var p api.BotStatusChangedWebhook
		if err := json.Unmarshal(h.body, &p); err != nil || p.Type != api.WebhookBotStatusChanged {
			t.Fatalf("request %d: %s (%v), want bot.status_changed", i, h.body, err)
		}
		if p.From != at {
			t.Fatalf("request %d: from %s, but the one before went to %s", i, p.From, at)
		}
		at = p.To
	}
	if at != last || hits[len(hits)-1].typ != api.WebhookBotEnded {
		t.Fatalf("the changes end at %s, then %q; want %s, then bot.ended", at, hits[len(hits)-1].typ, last)
	}
}

// checkSigned checks a callback request's headers: the Standard Webhooks
// signature verifies with the published library given the secret as the
// receiver holds it, and only with it; the deprecated one as before.
func checkSigned(t *testing.T, h hit) {
	t.Helper()
	lib, err := standardwebhooks.NewWebhook(testWebhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Verify(h.body, h.header); err != nil {
		t.Fatalf("Standard Webhooks signature %q: %v", h.header.Get(api.HeaderWebhookSignature), err)
	}
	other, _ := standardwebhooks.NewWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if other.Verify(h.body, h.header) == nil || lib.Verify(append(h.body, ' '), h.header) == nil {
		t.Fatal("signature verifies with another secret or body")
	}
	//lint:ignore SA1019 the deprecated headers are still sent, and checked
	ts, sig := h.header.Get(api.WebhookTimestampHeader), h.header.Get(api.WebhookSignatureHeader)
	//lint:ignore SA1019 as above
	if !api.VerifyWebhook([]byte(testWebhookSecret), ts, sig, h.body) {
		t.Fatalf("deprecated signature %q of timestamp %q does not verify", sig, ts)
	}
	//lint:ignore SA1019 as above
	if h.header.Get("Content-Type") != "application/json" || h.header.Get("User-Agent") != "meeboter-webhooks" || h.header.Get(api.WebhookDeliveryHeader) == "" {
		t.Fatalf("headers %v", h.header)
	}
}

// TestWebhookRetriedInOrder fails the first request twice: it is retried
// with the same webhook-id, and nothing later reaches the receiver before
// it succeeds.
func TestWebhookRetriedInOrder(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		rcv := newReceiver(t, http.StatusInternalServerError, http.StatusInternalServerError)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Config: webhookConfig()})
		b := createWithCallback(t, d.Admin, rcv.URL)
		waitStatus(t, d.Admin, b.ID, api.StatusDone)
		ds, evs := settled(t, d, b.ID)
		hits := rcv.got()
		if len(hits) != len(ds)+2 {
			t.Fatalf("%d requests for %d deliveries, want two retries", len(hits), len(ds))
		}
		first := hits[0].header.Get(api.HeaderWebhookID)
		for i, h := range hits[:3] {
			checkSigned(t, h)
			if h.header.Get(api.HeaderWebhookID) != first {
				t.Fatalf("request %d carries webhook-id %q, want the first's %q until it succeeded", i, h.header.Get(api.HeaderWebhookID), first)
			}
		}
		checkChain(t, hits[2:], api.StatusDone)
		if evs[0].Type != "WEBHOOK_FAILED" || !strings.Contains(string(evs[0].Data), `"statusCode":500`) ||
			!strings.Contains(string(evs[0].Data), "nextAttemptAt") {
			t.Fatalf("first event %s %s", evs[0].Type, evs[0].Data)
		}
		if ds[0].DeliveredAt == nil || ds[0].Attempts != 3 || ds[0].LastStatus != 200 || ds[0].LastResponse != "received bot.status_changed" {
			t.Fatalf("delivery %+v", ds[0])
		}
	})
}

func TestWebhookGivenUp(t *testing.T) {
	t.Parallel()
	rcv := newReceiverFunc(t, func(_ int, h hit) int {
		if h.typ == api.WebhookBotEnded {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig()})
	b := createWithCallback(t, d.Admin, rcv.URL)
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	ds, evs := settled(t, d, b.ID)
	ended := ds[len(ds)-1]
	if ended.Event != api.WebhookBotEnded || !ended.GivenUp() || ended.Attempts != 6 {
		t.Fatalf("bot.ended delivery %+v, want given up after 6 attempts", ended)
	}
	if last := evs[len(evs)-1]; !strings.Contains(string(last.Data), `"gaveUp":true`) {
		t.Fatalf("last event %s", last.Data)
	}
	if n := len(ofBot(rcv.got(), b.ID, api.WebhookBotEnded)); n != 6 {
		t.Fatalf("%d requests of bot.ended, want 6", n)
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
	ds, evs := settled(t, d, b.ID)
	for _, x := range ds {
		if !x.GivenUp() || x.Attempts != 1 || !strings.Contains(x.LastError, "refused") {
			t.Fatalf("delivery %+v, want given up at once on a loopback address", x)
		}
	}
	if !strings.Contains(string(evs[0].Data), "loopback") || !strings.Contains(string(evs[0].Data), `"gaveUp":true`) {
		t.Fatalf("event %s", evs[0].Data)
	}
	if n := len(rcv.got()); n != 0 {
		t.Fatalf("receiver got %d requests", n)
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
	if hits := rcv.got(); len(ofBot(hits, plain.ID, "")) != 0 || len(ofBot(hits, hooked.ID, api.WebhookBotEnded)) != 1 {
		t.Fatalf("receiver got %d requests, want only bot %d's", len(hits), hooked.ID)
	}
}

// TestWebhookTwoDaemonsPostgres ends bots on two daemons sharing a database
// and checks each event arrives once, and each bot's in order.
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
	seen := map[string]int{}
	for _, h := range rcv.got() {
		checkSigned(t, h)
		seen[h.header.Get(api.HeaderWebhookID)]++
	}
	for id, count := range seen {
		if count != 1 {
			t.Errorf("webhook %s arrived %d times, want once", id, count)
		}
	}
	for _, id := range ids {
		checkChain(t, ofBot(rcv.got(), id, ""), api.StatusDone)
	}
}

// refusing is a platform whose every deploy fails.
type refusing struct{ *daemontest.Instant }

func (refusing) Deploy(context.Context, platforms.DeploySpec) (string, error) {
	return "", errors.New("quota exceeded")
}

// TestWebhookDeployFailed sends a bot to a platform that refuses it: the
// callback hears bot.deploy_failed, failed over, before the bot goes on to
// the next platform.
func TestWebhookDeployFailed(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	broken := refusing{daemontest.NewInstant("k8s", 4)}
	ok := daemontest.NewInstant(platforms.Local, 4)
	cfg := webhookConfig()
	cfg.PlatformPriority = []string{"k8s", platforms.Local}
	d := daemontest.Start(t, daemontest.Options{Config: cfg, Platforms: []platforms.Platform{broken, ok}})
	b := createWithCallback(t, d.Admin, rcv.URL)
	eventually(t, "the bot to deploy on the second platform", func() bool {
		got, err := d.Admin.Bots().Get(t.Context(), b.ID)
		return err == nil && got.PlatformID != "" && got.DeploymentPlatform == platforms.Local
	})
	var failed []hit
	eventually(t, "bot.deploy_failed to arrive", func() bool {
		failed = ofBot(rcv.got(), b.ID, api.WebhookBotDeployFailed)
		return len(failed) == 1
	})
	var p api.BotDeployFailedWebhook
	if err := json.Unmarshal(failed[0].body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Platform != "k8s" || !p.FailedOver || !strings.Contains(p.Error, "quota exceeded") || p.Metadata["team"] != "a" {
		t.Fatalf("payload %+v", p)
	}
	checkSigned(t, failed[0])
}

// TestWebhookSubCode has a bot report its own code with a status: the
// status change carries it, and an end carries the reason.
func TestWebhookSubCode(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	plat := daemontest.NewInstant(platforms.Local, 4)
	d := daemontest.Start(t, daemontest.Options{Config: webhookConfig(), Platforms: []platforms.Platform{plat}})
	b := createWithCallback(t, d.Admin, rcv.URL)
	eventually(t, "the bot to deploy", func() bool { return plat.Token(b.ID) != "" })
	report := func(req api.AgentStatusRequest) {
		body, _ := json.Marshal(req)
		r, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, d.URL+"/v1/agent/status", bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+plat.Token(b.ID))
		r.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status report: %s", resp.Status)
		}
	}
	report(api.AgentStatusRequest{Status: api.StatusInWaitingRoom, SubCode: "KNOCKED", Description: "asked to be let in"})
	report(api.AgentStatusRequest{Status: api.StatusFatal, SubCode: "WAITING_ROOM_TIMEOUT", Description: "not admitted"})
	_, _ = settled(t, d, b.ID)
	var subs []string
	for _, h := range ofBot(rcv.got(), b.ID, api.WebhookBotStatusChanged) {
		var p api.BotStatusChangedWebhook
		if err := json.Unmarshal(h.body, &p); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, string(p.To)+":"+p.SubCode+":"+p.Detail)
	}
	want := "[DEPLOYING:: IN_WAITING_ROOM:KNOCKED:asked to be let in FATAL:WAITING_ROOM_TIMEOUT:not admitted]"
	if got := fmt.Sprint(subs); got != want {
		t.Fatalf("status changes %s, want %s", got, want)
	}
}
