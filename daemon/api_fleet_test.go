package daemon_test

import (
	"net/http"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

func TestAPIQueueAndPool(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{Limits: map[string]int{platforms.Local: 0}})
		ctx := t.Context()
		m, _ := member(t, d, "queued@example.com")
		a1 := createBot(t, d.Admin, api.CreateBotRequest{DisplayName: "first"})
		a2 := createBot(t, d.Admin, api.CreateBotRequest{DisplayName: "second"})
		mine := createBot(t, m, api.CreateBotRequest{DisplayName: "mine", Meeting: api.Meeting{MeetingURL: zoomURL}, Priority: 5})
		for i, b := range []*api.Bot{a1, a2, mine} {
			if b.Status != api.StatusQueued || b.QueuePosition != i+1 || b.EstimatedWaitSeconds <= 0 {
				t.Errorf("bot %q is %s at %d waiting %ds, want QUEUED at %d", b.DisplayName, b.Status, b.QueuePosition, b.EstimatedWaitSeconds, i+1)
			}
		}
		if got, err := m.Bots().Get(ctx, mine.ID); err != nil || got.QueuePosition != 3 {
			t.Errorf("get a queued bot: position %d, %v", got.QueuePosition, err)
		}

		own, err := m.Queue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(own) != 1 || own[0].BotID != mine.ID || own[0].Position != 3 || own[0].DisplayName != "mine" || own[0].MeetingPlatform != api.MeetingZoom || own[0].Priority != 5 || !own[0].TimeoutAt.After(own[0].QueuedAt) {
			t.Errorf("member's queue %+v, want only its own bot at 3", own)
		}
		all, err := d.Admin.Queue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].BotID != a1.ID || all[1].BotID != a2.ID || all[2].BotID != mine.ID {
			t.Errorf("admin's queue %+v, want all three in order", all)
		}

		pool, err := m.Pool(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pool.Platforms) != 1 || pool.Platforms[0] != (api.PlatformCapacity{Name: platforms.Local}) || pool.Queued != 3 || pool.OldestQueued == nil {
			t.Errorf("pool %+v", pool)
		}
		if len(pool.StatusCounts) != 1 || pool.StatusCounts[api.StatusQueued] != 1 {
			t.Errorf("member's status counts %v, want its one queued bot", pool.StatusCounts)
		}
		if pool, err := d.Admin.Pool(ctx); err != nil || pool.StatusCounts[api.StatusQueued] != 3 {
			t.Errorf("admin's status counts %v, %v, want 3 queued", pool.StatusCounts, err)
		}

		slots := send(t, d, d.AdminKey, http.MethodGet, "/v1/pool/slots", "")
		slots.wantStatus(t, http.StatusOK)
		var list api.List[api.PoolSlot]
		slots.decode(t, &list)
		if list.Items == nil || len(list.Items) != 0 {
			t.Errorf("slots of the in-process platform: %s", slots.body)
		}
	})
}

func TestAPIPoolCountsRunningBots(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		b := callBot(t, d.Admin)
		pool, err := d.Admin.Pool(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := api.PlatformCapacity{Name: platforms.Local, Used: 1, Free: 15, Limit: 16}
		if len(pool.Platforms) != 1 || pool.Platforms[0] != want || pool.Queued != 0 || pool.OldestQueued != nil {
			t.Errorf("pool %+v, want %+v", pool, want)
		}
		if pool.StatusCounts[api.StatusInCall] != 1 || pool.Today.Started != 1 {
			t.Errorf("counts %v, today %+v", pool.StatusCounts, pool.Today)
		}
		if _, err := d.Admin.Bots().Leave(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		botReaches(t, d.Admin, b.ID, api.StatusDone)
		eventually(t, "the capacity to free", func() bool {
			pool, err := d.Admin.Pool(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return pool.Platforms[0].Used == 0 && pool.Today.Done == 1
		})
		later := scheduleBot(t, d.Admin, "never started")
		if _, err := d.Admin.Bots().Cancel(ctx, later.ID); err != nil {
			t.Fatal(err)
		}
		pool, err = d.Admin.Pool(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (api.DayCounts{Started: 1, Done: 1, NotStarted: 1}); pool.Today != want {
			t.Errorf("today %+v, want %+v: a cancelled bot never started", pool.Today, want)
		}
	})
}

func TestAPIHealth(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		for path, status := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
			r := send(t, d, "", http.MethodGet, path, "")
			r.wantStatus(t, http.StatusOK)
			var h api.Health
			r.decode(t, &h)
			if h.Status != status || h.Engine != d.Store.Engine() {
				t.Errorf("%s: %+v, want %s on %s", path, h, status, d.Store.Engine())
			}
		}
	})
}
