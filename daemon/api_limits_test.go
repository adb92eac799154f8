package daemon_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPIIdempotency(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		_, otherKey := member(t, d, "other@example.com")
		body := meetingBody(`,"displayName":"once","joinAt":"` + fromNow(time.Hour).Format(time.RFC3339) + `"`)

		first := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", body, "Idempotency-Key", "create-1")
		first.wantStatus(t, http.StatusCreated)
		if first.header.Get("Idempotent-Replayed") != "" {
			t.Error("a first request is marked replayed")
		}
		again := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", body, "Idempotency-Key", "create-1")
		again.wantStatus(t, http.StatusCreated)
		if again.header.Get("Idempotent-Replayed") != "true" || again.header.Get("Content-Type") != "application/json" {
			t.Errorf("replay headers %v", again.header)
		}
		var b1, b2 api.Bot
		first.decode(t, &b1)
		again.decode(t, &b2)
		if b1.ID == 0 || b1.ID != b2.ID || b2.Status != api.StatusScheduled {
			t.Errorf("replay answered bot %d (%s), want bot %d", b2.ID, b2.Status, b1.ID)
		}
		if list, err := d.Admin.Bots().List(ctx, api.BotListOptions{}); err != nil || len(list.Items) != 1 {
			t.Fatalf("bots after a retried create: %v, %v", botIDs(list.Items), err)
		}

		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", strings.Replace(body, "once", "twice", 1), "Idempotency-Key", "create-1"),
			http.StatusUnprocessableEntity, api.CodeIdempotencyMismatch)
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/chat/templates", body, "Idempotency-Key", "create-1"),
			http.StatusUnprocessableEntity, api.CodeIdempotencyMismatch)

		theirs := send(t, d, otherKey, http.MethodPost, "/v1/bots", body, "Idempotency-Key", "create-1")
		theirs.wantStatus(t, http.StatusCreated)
		var b3 api.Bot
		theirs.decode(t, &b3)
		if theirs.header.Get("Idempotent-Replayed") != "" || b3.ID == b1.ID {
			t.Errorf("another user's request with the same key answered bot %d (replayed %q)", b3.ID, theirs.header.Get("Idempotent-Replayed"))
		}

		req := api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, JoinAt: fromNow(2 * time.Hour)}
		viaClient := func() int64 {
			b, err := d.Admin.Bots().Create(ctx, req, api.WithIdempotencyKey("create-2"))
			if err != nil {
				t.Fatal(err)
			}
			return b.ID
		}
		if id1, id2 := viaClient(), viaClient(); id1 != id2 {
			t.Errorf("the client's retried create made bots %d and %d", id1, id2)
		}

		cancel := func() reply {
			return send(t, d, d.AdminKey, http.MethodPost, botURL(b1.ID, "cancel"), `{}`, "Idempotency-Key", "cancel-1")
		}
		cancel().wantStatus(t, http.StatusOK)
		if r := cancel(); r.status != http.StatusOK || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retried cancel answered %d %s", r.status, r.body)
		}

		bad := meetingBody(`,"priority":99`)
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", bad, "Idempotency-Key", "bad-1"), http.StatusUnprocessableEntity, api.CodeValidation, "priority")
		replayed := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", bad, "Idempotency-Key", "bad-1")
		wantProblem(t, replayed, http.StatusUnprocessableEntity, api.CodeValidation, "priority")
		if replayed.header.Get("Idempotent-Replayed") != "true" {
			t.Error("a refused request is not replayed")
		}

		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", body, "Idempotency-Key", strings.Repeat("k", 256)), http.StatusBadRequest, api.CodeBadRequest)
	})
}

func TestAPIRateLimit(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{RateLimit: 1, RateBurst: 3})
		ctx := t.Context()
		a, aKey := member(t, d, "a@example.com")
		_, bKey := member(t, d, "b@example.com")
		second, err := a.Keys().Create(ctx, api.CreateKeyRequest{Name: "second"})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			send(t, d, aKey, http.MethodGet, "/v1/me", "").wantStatus(t, http.StatusOK)
		}
		// The bucket refills at one token a second, so a slow machine may
		// see a few more successes before the refusal.
		var limited reply
		for range 10 {
			if limited = send(t, d, aKey, http.MethodGet, "/v1/me", ""); limited.status != http.StatusOK {
				break
			}
		}
		p := wantProblem(t, limited, http.StatusTooManyRequests, api.CodeRateLimited)
		retry, err := strconv.Atoi(limited.header.Get("Retry-After"))
		if err != nil || retry < 1 || retry > 2 || p.RetryAfterSeconds != retry {
			t.Errorf("Retry-After %q, retryAfterSeconds %d", limited.header.Get("Retry-After"), p.RetryAfterSeconds)
		}
		_, err = a.Users().Me(ctx)
		wantError(t, err, http.StatusTooManyRequests, api.CodeRateLimited)

		send(t, d, second.Secret, http.MethodGet, "/v1/me", "").wantStatus(t, http.StatusOK)
		send(t, d, bKey, http.MethodGet, "/v1/me", "").wantStatus(t, http.StatusOK)
		eventually(t, "the bucket to refill", func() bool {
			return send(t, d, aKey, http.MethodGet, "/v1/me", "").status == http.StatusOK
		})
	})
}

func TestAPIDailyQuota(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		cu, err := d.Admin.Users().Create(ctx, api.CreateUserRequest{Email: "free@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		free := d.Client(t, cu.Key.Secret)
		for range 4 {
			scheduleBot(t, free, "counted")
		}
		endedBot(t, free)
		wantProblem(t, send(t, d, cu.Key.Secret, http.MethodPost, "/v1/bots", meetingBody("")), http.StatusTooManyRequests, api.CodeQuotaExceeded)
		_, err = free.Bots().Create(ctx, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, JoinAt: fromNow(time.Hour)})
		wantError(t, err, http.StatusTooManyRequests, api.CodeQuotaExceeded)
		if p, err := free.Plan(ctx, ""); err != nil || p.UsedToday != 5 || p.Remaining == nil || *p.Remaining != 0 {
			t.Errorf("plan at the limit %+v, %v", p, err)
		}
		if list, err := free.Bots().List(ctx, api.BotListOptions{}); err != nil || len(list.Items) != 5 {
			t.Errorf("a refused create stored a bot: %v, %v", botIDs(list.Items), err)
		}
		scheduleBot(t, d.Admin, "admins have no limit")
	})
}
