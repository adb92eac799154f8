package daemon_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/trpcclient"
)

// TestCoolifyGetSlot: a slot's container, with the token written once
// into its environment, gets the config of the bot its slot runs now,
// over tRPC (getSlot) and REST (GET /v1/agent/slot). The token speaks for
// that bot only, and only while the slot runs it: a leaving bot answers
// PRECONDITION_FAILED (410), an idle slot NOT_FOUND (404), another bot
// is refused, and its heartbeat says leave.
func TestCoolifyGetSlot(t *testing.T) {
	t.Parallel()
	ps := newPoolSetup(t, 4, 4, coolifytest.Options{Manual: true})
	st := storetest.OpenSQLite(t)
	d := ps.start(t, st)
	ctx := t.Context()
	b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}})
	other := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	var app coolifytest.AppInfo
	eventually(t, "the slot's deployment running", func() bool {
		for _, uuid := range ps.fake.Apps() {
			if a, _ := ps.fake.App(uuid); a.Name == "pool-zoom-001" && len(a.Deployments) > 0 {
				app = a
				return ps.fake.FinishDeployment(uuid) == nil
			}
		}
		return false
	})
	token, slotUUID := app.Env["MILO_AUTH_TOKEN"], app.Env["POOL_SLOT_UUID"]
	if slotUUID != app.UUID || token == "" || app.Env["BOT_ID"] != "" {
		t.Fatalf("slot env %v", app.Env)
	}
	c := trpcclient.New(d.URL, token, nil)
	cfg, err := c.GetSlot(ctx, slotUUID)
	if err != nil || cfg.ID != b.ID || cfg.Meeting.Platform != "zoom" {
		t.Fatalf("getSlot: %+v, %v", cfg, err)
	}
	if got := restSlot(t, d.URL, token); got != http.StatusOK {
		t.Fatalf("GET /v1/agent/slot: %d", got)
	}
	if _, err := c.GetConfig(ctx, other.ID); err == nil {
		t.Fatal("the slot token read another bot's config")
	}
	if hb, err := c.SendHeartbeat(ctx, other.ID); err != nil || !hb.ShouldLeave {
		t.Fatalf("another bot's heartbeat with the slot token: %+v, %v", hb, err)
	}
	for _, s := range []api.BotStatus{api.StatusJoiningCall, api.StatusInCall} {
		if err := c.UpdateStatus(ctx, b.ID, trpc.StatusUpdate{Status: s}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Admin.Bots().Leave(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSlot(ctx, slotUUID); !errors.Is(err, trpc.ErrPreconditionFailed) {
		t.Fatalf("getSlot for a leaving bot: %v", err)
	}
	if got := restSlot(t, d.URL, token); got != http.StatusGone {
		t.Fatalf("GET /v1/agent/slot for a leaving bot: %d", got)
	}
	if err := c.UpdateStatus(ctx, b.ID, trpc.StatusUpdate{Status: api.StatusDone}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the slot idle", func() bool {
		x, err := st.ListPoolSlots(ctx, platforms.Coolify)
		return err == nil && len(x) > 0 && slices0(x).Status == store.SlotIdle
	})
	if _, err := c.GetSlot(ctx, slotUUID); !errors.Is(err, trpc.ErrNotFound) {
		t.Fatalf("getSlot for an idle slot: %v", err)
	}
	if got := restSlot(t, d.URL, token); got != http.StatusNotFound {
		t.Fatalf("GET /v1/agent/slot for an idle slot: %d", got)
	}
	if _, err := c.GetConfig(ctx, b.ID); err == nil {
		t.Fatal("the slot token still reads the config of the bot it ran")
	}
	if _, err := trpcclient.New(d.URL, "mbs_not-a-token", nil).GetSlot(ctx, slotUUID); !errors.Is(err, trpc.ErrUnauthorized) {
		t.Fatalf("getSlot with a wrong token: %v", err)
	}
}

// slices0 is the zoom slot of a list holding one per meeting platform.
func slices0(x []store.PoolSlot) store.PoolSlot {
	for _, s := range x {
		if s.MeetingPlatform == "zoom" {
			return s
		}
	}
	return x[0]
}

func restSlot(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/v1/agent/slot", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
