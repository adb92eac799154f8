package daemon_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// startInstant runs a daemon whose one platform deploys at once and keeps
// every bot (DEPLOYING holds capacity), with room for 100.
func startInstant(t *testing.T, open func(testing.TB) store.Store) *daemontest.Daemon {
	t.Helper()
	return daemontest.Start(t, daemontest.Options{Store: open(t), Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, 100)}})
}

// memberOn creates a member and puts them on plan with a PATCH of extra
// members (a JSON fragment after the plan).
func memberOn(t *testing.T, d *daemontest.Daemon, email, plan, extra string) (api.User, string) {
	t.Helper()
	cu, err := d.Admin.Users().Create(t.Context(), api.CreateUserRequest{Email: email})
	if err != nil {
		t.Fatal(err)
	}
	r := send(t, d, d.AdminKey, http.MethodPatch, "/v1/users/"+itoa(cu.User.ID), `{"plan":"`+plan+`"`+extra+`}`)
	r.wantStatus(t, http.StatusOK)
	var u api.User
	r.decode(t, &u)
	if u.Plan == nil || *u.Plan != plan {
		t.Fatalf("plan after PATCH: %s", r.body)
	}
	return u, cu.Key.Secret
}

func TestAPIConcurrencyCap(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		r := send(t, d, d.AdminKey, http.MethodPost, "/v1/plans", `{"name":"team","dailyBots":100,"concurrentBots":2}`)
		r.wantStatus(t, http.StatusCreated)
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/plans", `{"name":"team"}`), http.StatusConflict, api.CodeConflict)
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/plans", `{"name":"bad name","concurrentBots":-1}`),
			http.StatusUnprocessableEntity, api.CodeValidation, "name", "concurrentBots")
		_, key := memberOn(t, d, "capped@example.com", "team", "")

		var first []int64
		for range 2 {
			r := send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(`,"allowDuplicate":true`))
			r.wantStatus(t, http.StatusCreated)
			var b api.Bot
			r.decode(t, &b)
			first = append(first, b.ID)
		}
		p := wantProblem(t, send(t, d, key, http.MethodPost, "/v1/bots", meetingBody("")), http.StatusTooManyRequests, api.CodeConcurrencyLimit)
		if p.Limit != 2 || p.Current != 2 || !strings.Contains(p.Detail, "2 of your 2") {
			t.Errorf("429 says limit %d current %d: %q", p.Limit, p.Current, p.Detail)
		}
		mc := d.Client(t, key)
		if list, err := mc.Bots().List(t.Context(), api.BotListOptions{}); err != nil || len(list.Items) != 2 {
			t.Fatalf("a refused create left a bot: %v %v", botIDs(list.Items), err)
		}

		r = send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(`,"queueAtConcurrencyLimit":true`))
		r.wantStatus(t, http.StatusCreated)
		var queued api.Bot
		r.decode(t, &queued)
		if queued.Status != api.StatusQueued {
			t.Fatalf("a create that may wait is %s, want QUEUED", queued.Status)
		}
		plan, err := mc.Plan(t.Context(), "")
		if err != nil || plan.ConcurrentLimit == nil || *plan.ConcurrentLimit != 2 || plan.Running != 2 || plan.Plan != "team" {
			t.Fatalf("plan %+v, %v", plan, err)
		}
		// Another user's bot is not held back by the capped user's queue.
		if b, err := d.Admin.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}}); err != nil || b.Status != api.StatusDeploying {
			t.Fatalf("admin's bot: %+v %v", b, err)
		}
		if _, err := mc.Bots().Cancel(t.Context(), first[0]); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, mc, queued.ID, api.StatusDeploying)
	})
}

func TestAPIPlansAreAdminOnly(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		u, key := memberOn(t, d, "m@example.com", store.PlanPro, `,"maxConcurrentBots":3,"dedupWindowSeconds":60`)
		if u.MaxConcurrentBots == nil || *u.MaxConcurrentBots != 3 || u.DedupWindowSeconds != 60 {
			t.Fatalf("limits after PATCH: %+v", u)
		}
		for _, rt := range [][2]string{{"GET", "/v1/plans"}, {"POST", "/v1/plans"}, {"GET", "/v1/users/" + itoa(u.ID)}, {"PATCH", "/v1/users/" + itoa(u.ID)}} {
			wantProblem(t, send(t, d, key, rt[0], rt[1], `{"name":"x"}`), http.StatusNotFound, api.CodeNotFound)
		}
		path := "/v1/users/" + itoa(u.ID)
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPatch, path, `{"plan":"nope"}`), http.StatusUnprocessableEntity, api.CodeValidation, "plan")
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPatch, path, `{"maxConcurrentBots":1,"clear":["maxConcurrentBots","bogus"]}`),
			http.StatusUnprocessableEntity, api.CodeValidation, "clear[0]", "clear[1]")
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPatch, "/v1/users/999999", `{"plan":"PRO"}`), http.StatusNotFound, api.CodeNotFound)
		r := send(t, d, d.AdminKey, http.MethodPatch, path, `{"clear":["plan","maxConcurrentBots"]}`)
		r.wantStatus(t, http.StatusOK)
		var got api.User
		r.decode(t, &got)
		if got.Plan != nil || got.MaxConcurrentBots != nil || got.DedupWindowSeconds != 60 {
			t.Fatalf("after clearing: %s", r.body)
		}
		r = send(t, d, d.AdminKey, http.MethodGet, "/v1/plans", "")
		r.wantStatus(t, http.StatusOK)
		var plans api.List[api.PlanLimits]
		r.decode(t, &plans)
		if len(plans.Items) != 4 || plans.Items[1].Name != store.PlanFree || *plans.Items[1].DailyBots != 5 {
			t.Fatalf("plans: %s", r.body)
		}
	})
}

func TestAPIKeyConcurrencyCap(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		k, err := d.Admin.Keys().Create(t.Context(), api.CreateKeyRequest{Name: "ci", MaxConcurrentBots: ptrTo(1)})
		if err != nil || k.MaxConcurrentBots == nil || *k.MaxConcurrentBots != 1 {
			t.Fatalf("capped key: %+v %v", k, err)
		}
		send(t, d, k.Secret, http.MethodPost, "/v1/bots", meetingBody("")).wantStatus(t, http.StatusCreated)
		p := wantProblem(t, send(t, d, k.Secret, http.MethodPost, "/v1/bots", meetingBody("")), http.StatusTooManyRequests, api.CodeConcurrencyLimit)
		if !strings.Contains(p.Detail, "API key") || p.Limit != 1 {
			t.Errorf("key cap problem: %+v", p)
		}
		send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", meetingBody("")).wantStatus(t, http.StatusCreated)
	})
}

func TestAPIDuplicateBots(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		_, key := memberOn(t, d, "dedup@example.com", store.PlanPro, `,"dedupWindowSeconds":300`)
		r := send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(""))
		r.wantStatus(t, http.StatusCreated)
		var first api.Bot
		r.decode(t, &first)
		// The same call through another form of its link.
		again := `{"meeting":{"meetingUrl":"https://meet.google.com/abc-defg-hij?authuser=1"}}`
		p := wantProblem(t, send(t, d, key, http.MethodPost, "/v1/bots", again), http.StatusConflict, api.CodeDuplicateBot)
		if p.BotID != first.ID || !strings.Contains(p.Detail, "bot "+itoa(first.ID)) {
			t.Errorf("duplicate names bot %d (%q), want %d", p.BotID, p.Detail, first.ID)
		}
		send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(`,"allowDuplicate":true`)).wantStatus(t, http.StatusCreated)
		send(t, d, key, http.MethodPost, "/v1/bots", `{"meeting":{"meetingUrl":"https://meet.google.com/xyz-defg-hij"}}`).wantStatus(t, http.StatusCreated)

		// A deduplicationKey works with no window of the user's own.
		body := meetingBody(`,"deduplicationKey":"standup-42"`)
		send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", body).wantStatus(t, http.StatusCreated)
		wantProblem(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", body), http.StatusConflict, api.CodeDuplicateBot)
		send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", meetingBody(`,"deduplicationKey":"`+strings.Repeat("k", 256)+`"`)).wantStatus(t, http.StatusUnprocessableEntity)
	})
}

// TestAPIDuplicateRace: of concurrent creates for one meeting exactly one
// makes a bot, and every other names it.
func TestAPIDuplicateRace(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		_, key := memberOn(t, d, "race@example.com", store.PlanPro, `,"dedupWindowSeconds":300`)
		const n = 8
		var mu sync.Mutex
		var created []int64
		named := map[int64]int{}
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				r := send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(""))
				mu.Lock()
				defer mu.Unlock()
				switch r.status {
				case http.StatusCreated:
					var b api.Bot
					r.decode(t, &b)
					created = append(created, b.ID)
				case http.StatusConflict:
					var p api.Problem
					r.decode(t, &p)
					named[p.BotID]++
				default:
					t.Errorf("create answered %d: %s", r.status, r.body)
				}
			})
		}
		wg.Wait()
		if len(created) != 1 || named[created[0]] != n-1 {
			t.Fatalf("created %v, refusals naming %v", created, named)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// TestAPIPlanMaxDuration: a plan's maximum bot duration caps a create's
// and an update's maxDurationSeconds, and is the default when shorter.
func TestAPIPlanMaxDuration(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		send(t, d, d.AdminKey, http.MethodPost, "/v1/plans", `{"name":"short","maxBotDurationSeconds":600}`).wantStatus(t, http.StatusCreated)
		_, key := memberOn(t, d, "short@example.com", "short", "")
		wantProblem(t, send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(`,"maxDurationSeconds":601`)),
			http.StatusUnprocessableEntity, api.CodeValidation, "maxDurationSeconds")
		r := send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(`,"joinAt":"`+fromNow(time.Hour).Format(time.RFC3339)+`"`))
		r.wantStatus(t, http.StatusCreated)
		var b api.Bot
		r.decode(t, &b)
		if b.MaxDurationSeconds != 600 {
			t.Errorf("default duration on the plan: %d, want 600", b.MaxDurationSeconds)
		}
		wantProblem(t, send(t, d, key, http.MethodPatch, botURL(b.ID), `{"maxDurationSeconds":3600}`),
			http.StatusUnprocessableEntity, api.CodeValidation, "maxDurationSeconds")
		send(t, d, key, http.MethodPatch, botURL(b.ID), `{"maxDurationSeconds":300}`).wantStatus(t, http.StatusOK)
	})
}

// TestAPIConcurrencyLimitIsNotReplayed: a create refused for the cap is
// not the idempotent answer for good; its retry with the same key creates
// the bot once there is room.
func TestAPIConcurrencyLimitIsNotReplayed(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startInstant(t, open)
		send(t, d, d.AdminKey, http.MethodPost, "/v1/plans", `{"name":"one","concurrentBots":1}`).wantStatus(t, http.StatusCreated)
		_, key := memberOn(t, d, "one@example.com", "one", "")
		r := send(t, d, key, http.MethodPost, "/v1/bots", meetingBody(""))
		r.wantStatus(t, http.StatusCreated)
		var first api.Bot
		r.decode(t, &first)
		body := `{"meeting":{"meetingUrl":"https://meet.google.com/xyz-defg-hij"}}`
		wantProblem(t, send(t, d, key, http.MethodPost, "/v1/bots", body, "Idempotency-Key", "retry-me"), http.StatusTooManyRequests, api.CodeConcurrencyLimit)
		if _, err := d.Client(t, key).Bots().Cancel(t.Context(), first.ID); err != nil {
			t.Fatal(err)
		}
		again := send(t, d, key, http.MethodPost, "/v1/bots", body, "Idempotency-Key", "retry-me")
		again.wantStatus(t, http.StatusCreated)
		if again.header.Get("Idempotent-Replayed") != "" {
			t.Error("the retry was answered from the refused request")
		}
	})
}
