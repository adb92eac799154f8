package daemon_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// slotsWithApps waits until n slots exist, each with an application.
func slotsWithApps(t *testing.T, st store.Store, n int) []store.PoolSlot {
	t.Helper()
	var slots []store.PoolSlot
	eventually(t, "slots with their applications", func() bool {
		var err error
		if slots, err = st.ListPoolSlots(context.Background(), platforms.Coolify); err != nil {
			t.Fatal(err)
		}
		return len(slots) == n && !slices.ContainsFunc(slots, func(x store.PoolSlot) bool { return x.ApplicationUUID == "" })
	})
	return slots
}

// TestCoolifyFailedListingChangesNothing: while Coolify's list of
// applications fails (500) or arrives cut short, syncing deletes no
// application and changes no slot, by hand or on the leader; once it
// answers again, the application no slot names is deleted and the slots'
// own are kept.
func TestCoolifyFailedListingChangesNothing(t *testing.T) {
	t.Parallel()
	ps := newPoolSetup(t, 4, 6, coolifytest.Options{})
	ps.orphanAge = time.Millisecond
	st := storetest.OpenSQLite(t)
	d := ps.start(t, st)
	if _, err := d.Admin.CreatePoolSlots(t.Context(), api.CreateSlotsRequest{MeetingPlatform: "zoom", Count: 3}); err != nil {
		t.Fatal(err)
	}
	before := slotsWithApps(t, st, 3)
	// The orphan comes once the listing fails: a sync that listed before
	// (the leader's first, on a slow machine) may rightly delete an
	// orphan it saw, but none can have seen this one.
	var orphan, other string
	var apps []string
	for i, f := range []coolifytest.Fault{{Route: coolifytest.RouteListApps, Status: 500}, {Route: coolifytest.RouteListApps, Truncate: true}} {
		ps.fake.Inject(f)
		if i == 0 {
			orphan = ps.fake.AddApp("pool-zoom-009", "exited")
			other = ps.fake.AddApp("website", "running:healthy")
			time.Sleep(10 * time.Millisecond)
			apps = ps.fake.Apps()
		}
		if _, err := d.Admin.SyncPool(t.Context()); err == nil {
			t.Fatalf("sync with a listing fault %+v succeeded", f)
		}
		time.Sleep(500 * time.Millisecond) // several leader passes
		if got := ps.fake.Apps(); !slices.Equal(got, apps) {
			t.Fatalf("with a failing listing the applications went from %v to %v", apps, got)
		}
		after, err := st.ListPoolSlots(t.Context(), platforms.Coolify)
		if err != nil {
			t.Fatal(err)
		}
		for i := range after {
			if after[i].ApplicationUUID != before[i].ApplicationUUID || after[i].Status != store.SlotIdle {
				t.Fatalf("slot %s changed to %+v", before[i].Name, after[i])
			}
		}
		ps.fake.ClearFaults()
	}
	rep, err := d.Admin.SyncPool(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ps.fake.App(orphan); ok && !slices.Contains(rep.Deleted, "pool-zoom-009") {
		t.Fatalf("the application no slot names was not deleted: %+v", rep)
	}
	if _, ok := ps.fake.App(other); !ok {
		t.Fatal("an application that is not a slot was deleted")
	}
	for _, x := range before {
		if _, ok := ps.fake.App(x.ApplicationUUID); !ok {
			t.Fatalf("slot %s's application was deleted", x.Name)
		}
	}
}

// TestCoolifyDeployFailureRecovers: deployments that keep failing make
// the slot ERROR and end the bot FATAL/platform_error with Coolify's
// message; recovery brings the slot back to IDLE, and the next bot runs on
// it. An application deleted behind the daemon's back is made again.
func TestCoolifyDeployFailureRecovers(t *testing.T) {
	t.Parallel()
	ps := newPoolSetup(t, 4, 4, coolifytest.Options{ReadSensitive: true})
	st := storetest.OpenSQLite(t)
	d := ps.start(t, st)
	ps.fake.FailDeployments(3, "Error response from daemon: pull access denied")
	b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}})
	ended := waitStatus(t, d.Admin, b.ID, api.StatusDone, api.StatusFatal)
	if ended.Status != api.StatusFatal || ended.EndReason != api.ReasonPlatformError || !strings.Contains(ended.EndDetail, "pull access denied") {
		t.Fatalf("bot ended %s/%s: %s", ended.Status, ended.EndReason, ended.EndDetail)
	}
	var slot store.PoolSlot
	eventually(t, "the broken slot recovered", func() bool {
		slots, _ := st.ListPoolSlots(t.Context(), platforms.Coolify)
		if len(slots) != 1 {
			return false
		}
		slot = slots[0]
		return slot.Status == store.SlotIdle && slot.RecoveryAttempts == 1
	})
	ps.fake.DeleteBehindBack(slot.ApplicationUUID)
	next := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}})
	if got := waitStatus(t, d.Admin, next.ID, api.StatusDone, api.StatusFatal); got.Status != api.StatusDone {
		t.Fatalf("bot on the recovered slot ended %s/%s: %s", got.Status, got.EndReason, got.EndDetail)
	}
	slots := slotsSettle(t, d.Admin)
	if len(slots) != 1 || slots[0].Name != "pool-zoom-001" {
		t.Fatalf("slots after recovery: %+v", slots)
	}
	now, _ := st.GetPoolSlot(t.Context(), slots[0].ID)
	if now.ApplicationUUID == slot.ApplicationUUID || now.RecoveryAttempts != 0 {
		t.Fatalf("the slot kept application %s (attempts %d) after it was deleted", now.ApplicationUUID, now.RecoveryAttempts)
	}
}

// TestCoolifyWarmsForReservations: with no warm minimum, two Zoom bots
// booked to join in five minutes (within MEEBOTER_WARM_AHEAD) get two idle
// Zoom slots made and started ahead of them, and no other platform's.
func TestCoolifyWarmsForReservations(t *testing.T) {
	t.Parallel()
	ps := newPoolSetup(t, 4, 6, coolifytest.Options{})
	st := storetest.OpenSQLite(t)
	d := ps.start(t, st)
	for range 2 {
		createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}, JoinAt: fromNow(5 * time.Minute), MaxDurationSeconds: 600})
	}
	warm := func(mp string) int {
		slots, err := st.ListPoolSlots(t.Context(), platforms.Coolify)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range slots {
			if x.MeetingPlatform == mp && x.Status == store.SlotIdle && x.ApplicationUUID != "" {
				n++
			}
		}
		return n
	}
	eventually(t, "two warm Zoom slots", func() bool { return warm(api.MeetingZoom) == 2 })
	if n := warm(api.MeetingGoogleMeet); n != 0 {
		t.Errorf("%d Meet slots warmed for Zoom bookings", n)
	}
}
