package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// slotName names slots as the Coolify pool does; the store only calls it.
func slotName(meeting string, n int) string { return fmt.Sprintf("pool-%s-%03d", meeting, n) }

// pooled is a pooled platform's place in admission.
func pooled(name string, limit, max int) store.PlatformLimit {
	return store.PlatformLimit{Name: name, Limit: limit, Pool: &store.SlotPool{Max: max, Name: slotName}}
}

// mkSlot creates an idle slot with an application.
func mkSlot(t *testing.T, s store.Store, platform, meeting string, lastUsed *time.Time) store.PoolSlot {
	t.Helper()
	n := seq.Add(1)
	x, err := s.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: platform, MeetingPlatform: meeting,
		Name: fmt.Sprintf("slot-%s-%d", meeting, n), ApplicationUUID: fmt.Sprint("uuid-", n), LastUsedAt: lastUsed, CreatedAt: t0})
	ok(t, err)
	return x
}

// onMeeting sets a bot's meeting platform.
func onMeeting(mp string) func(*store.Bot) {
	return func(b *store.Bot) { b.Meeting.Platform = mp }
}

// admitSlot admits a bot onto a pooled coolify platform and returns its
// slot, failing the test when it gets none.
func admitSlot(t *testing.T, s store.Store, botID int64, pl ...store.PlatformLimit) store.PoolSlot {
	t.Helper()
	if len(pl) == 0 {
		pl = []store.PlatformLimit{pooled("coolify", 100, 100)}
	}
	res := admit(t, s, botID, t0, pl)
	if res.Slot == nil {
		t.Fatalf("bot %d admitted with %+v, no slot", botID, res)
	}
	return *res.Slot
}

var poolTests = []namedTest{
	{"CreateAndFind", func(t *testing.T, s store.Store) {
		a := mkSlot(t, s, "coolify", "zoom", nil)
		b := mkSlot(t, s, "coolify", "zoom", nil)
		eq(t, "numbers", fmt.Sprint(a.Number, b.Number), "1 2")
		eq(t, "status", a.Status, store.SlotIdle)
		eqTime(t, "updated at", &a.UpdatedAt, t0)
		got, err := s.PoolSlotByApp(t.Context(), b.ApplicationUUID)
		ok(t, err)
		eq(t, "by app", got.ID, b.ID)
		_, err = s.PoolSlotByToken(t.Context(), "")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: "coolify", MeetingPlatform: "zoom", Name: a.Name, CreatedAt: t0})
		wantErr(t, err, store.ErrConflict)
		ok(t, s.DeletePoolSlot(t.Context(), a.ID))
		wantErr(t, s.DeletePoolSlot(t.Context(), a.ID), store.ErrNotFound)
		c := mkSlot(t, s, "coolify", "zoom", nil)
		eq(t, "a freed number is taken again", c.Number, 1)
		list, err := s.ListPoolSlots(t.Context(), "coolify")
		ok(t, err)
		eq(t, "listed", len(list), 2)
		none, err := s.ListPoolSlots(t.Context(), "k8s")
		ok(t, err)
		eq(t, "other platform", len(none), 0)
	}},
	{"AdmitSkipsLeasedIdle", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		leased := mkSlot(t, s, "coolify", "zoom", ptr(t0.Add(-time.Hour)))
		free := mkSlot(t, s, "coolify", "zoom", ptr(t0.Add(-time.Minute)))
		got, err := s.LeasePoolSlots(t.Context(), store.LeasePoolSlotsParams{Platform: "coolify", Holder: "warm", Statuses: []string{store.SlotIdle},
			IDs: []int64{leased.ID}, Now: t0, LeaseFor: time.Minute, Limit: 1})
		ok(t, err)
		eq(t, "leased", len(got), 1)
		pl := []store.PlatformLimit{pooled("coolify", 100, 2)}
		first := admitSlot(t, s, mkBot(t, s, u.ID, onMeeting("zoom")).ID, pl...)
		eq(t, "the idle slot nobody leases", first.ID, free.ID)
		res := admit(t, s, mkBot(t, s, u.ID, onMeeting("zoom"), func(b *store.Bot) { b.QueueTimeout = time.Hour }).ID, t0, pl)
		eq(t, "queued while the only idle slot is leased", res.Queued, true)
		bots, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: pl, Now: t0.Add(2 * time.Minute)})
		ok(t, err)
		eq(t, "admitted once the lease ended", len(bots), 1)
		x, err := s.GetPoolSlot(t.Context(), leased.ID)
		ok(t, err)
		eq(t, "onto the slot that was leased", fmt.Sprint(x.Status, " ", *x.AssignedBotID), fmt.Sprint(store.SlotDeploying, " ", bots[0].ID))
	}},
	{"AdmitTakesIdleLRU", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		recent := mkSlot(t, s, "coolify", "zoom", ptr(t0.Add(-time.Minute)))
		old := mkSlot(t, s, "coolify", "zoom", ptr(t0.Add(-time.Hour)))
		fresh := mkSlot(t, s, "coolify", "zoom", nil)
		cold, err := s.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: "coolify", MeetingPlatform: "zoom", Name: "cold", CreatedAt: t0})
		ok(t, err)
		meet := mkSlot(t, s, "coolify", "google-meet", nil)
		pl := pooled("coolify", 100, 5)
		var got []int64
		for range 4 {
			b := mkBot(t, s, u.ID, onMeeting("zoom"))
			x := admitSlot(t, s, b.ID, pl)
			eq(t, "status", x.Status, store.SlotDeploying)
			eq(t, "assigned", *x.AssignedBotID, b.ID)
			eqTime(t, "last used", x.LastUsedAt, t0)
			cur, err := s.GetBot(t.Context(), b.ID)
			ok(t, err)
			eq(t, "the bot records its slot", *cur.PoolSlotID, x.ID)
			got = append(got, x.ID)
		}
		eq(t, "never used first", got[0], fresh.ID)
		eq(t, "then the oldest", got[1], old.ID)
		eq(t, "then the recent", got[2], recent.ID)
		eq(t, "one without an application last", got[3], cold.ID)
		// W16: a zoom bot never gets the idle Google Meet slot, and the
		// pool (5 slots) is full.
		r := admit(t, s, mkBot(t, s, u.ID, onMeeting("zoom"), func(b *store.Bot) { b.QueueTimeout = time.Hour }).ID, t0,
			[]store.PlatformLimit{pl})
		eq(t, "queued for want of a zoom slot", r.Queued, true)
		x, err := s.GetPoolSlot(t.Context(), meet.ID)
		ok(t, err)
		eq(t, "the meet slot stays idle", x.Status, store.SlotIdle)
	}},
	{"AdmitCreatesSlots", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := []store.PlatformLimit{pooled("coolify", 10, 3), {Name: "k8s", Limit: 1}}
		var names []string
		for _, mp := range []string{"google-meet", "google-meet", "zoom"} {
			x := admitSlot(t, s, mkBot(t, s, u.ID, onMeeting(mp)).ID, pl...)
			eq(t, "no application yet", x.ApplicationUUID, "")
			names = append(names, x.Name)
		}
		eq(t, "names", fmt.Sprint(names), "[pool-google-meet-001 pool-google-meet-002 pool-zoom-001]")
		r := admit(t, s, mkBot(t, s, u.ID, onMeeting("zoom")).ID, t0, pl)
		eq(t, "the pool is full: next platform", r.Platform, "k8s")
		eq(t, "no slot there", r.Slot == nil, true)
		r = admit(t, s, mkBot(t, s, u.ID).ID, t0, []store.PlatformLimit{{Name: "k8s", Limit: 9}, pooled("coolify", 10, 9)})
		eq(t, "unpooled platforms need no slot", r.Platform, "k8s")
		nomeet := mkBot(t, s, u.ID, onMeeting(""), func(b *store.Bot) { b.QueueTimeout = time.Hour })
		eq(t, "a bot without a meeting platform gets no slot", admit(t, s, nomeet.ID, t0, []store.PlatformLimit{pooled("coolify", 10, 9)}).Queued, true)
	}},
	{"BotLimitStillHolds", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := []store.PlatformLimit{pooled("coolify", 1, 10)}
		admitSlot(t, s, mkBot(t, s, u.ID, onMeeting("zoom")).ID, pl...)
		r := admit(t, s, mkBot(t, s, u.ID, onMeeting("zoom"), func(b *store.Bot) { b.QueueTimeout = time.Hour }).ID, t0, pl)
		eq(t, "COOLIFY_BOT_LIMIT reached", r.Queued, true)
	}},
	{"AdmitQueuedTakesSlots", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		var bots []store.Bot
		for i, mp := range []string{"zoom", "google-meet", "google-meet"} {
			b := mkBot(t, s, u.ID, onMeeting(mp), func(b *store.Bot) { b.QueueTimeout = time.Hour })
			admit(t, s, b.ID, t0.Add(time.Duration(i)*time.Second), nil)
			bots = append(bots, b)
		}
		mkSlot(t, s, "coolify", "google-meet", nil)
		// One slot in all: the zoom head cannot get one, and nothing passes it.
		got, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: []store.PlatformLimit{pooled("coolify", 10, 1)}, Now: t0})
		ok(t, err)
		eq(t, "admitted past a head that fits nowhere", len(got), 0)
		got, err = s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: []store.PlatformLimit{pooled("coolify", 10, 3)}, Now: t0})
		ok(t, err)
		eq(t, "admitted", len(got), 3)
		for i, b := range got {
			eq(t, "order", b.ID, bots[i].ID)
			if b.PoolSlotID == nil {
				t.Fatalf("bot %d admitted without a slot", b.ID)
			}
		}
	}},
	{"ReleasedOnEnd", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := pooled("coolify", 10, 1)
		b := mkBot(t, s, u.ID, onMeeting("zoom"))
		x := admitSlot(t, s, b.ID, pl)
		move(t, s, b.ID, api.StatusDone)
		got, err := s.GetPoolSlot(t.Context(), x.ID)
		ok(t, err)
		eq(t, "releasing", got.Status, store.SlotReleasing)
		eq(t, "unassigned", got.AssignedBotID == nil, true)
		cur, err := s.GetBot(t.Context(), b.ID)
		ok(t, err)
		eq(t, "the bot keeps its history", *cur.PoolSlotID, x.ID)
		next := mkBot(t, s, u.ID, onMeeting("zoom"), func(b *store.Bot) { b.QueueTimeout = time.Hour })
		eq(t, "a releasing slot is nobody's", admit(t, s, next.ID, t0, []store.PlatformLimit{pl}).Queued, true)
		_, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, To: store.SlotIdle, Now: t0.Add(time.Minute)})
		ok(t, err)
		eq(t, "idle again, it is taken", admitSlot(t, s, next.ID, pl).ID, x.ID)
	}},
	{"FailoverReleasesSlot", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := []store.PlatformLimit{pooled("coolify", 10, 5), {Name: "k8s", Limit: 10}}
		b := mkBot(t, s, u.ID, onMeeting("zoom"))
		x := admitSlot(t, s, b.ID, pl...)
		r := admit(t, s, b.ID, t0, pl, "coolify")
		eq(t, "failed over", r.Platform, "k8s")
		got, err := s.GetPoolSlot(t.Context(), x.ID)
		ok(t, err)
		eq(t, "the slot it left", got.Status, store.SlotReleasing)
		c := mkBot(t, s, u.ID, onMeeting("zoom"))
		y := admitSlot(t, s, c.ID, pl...)
		_, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: y.ID, To: store.SlotError, Error: "pull failed", Now: t0})
		ok(t, err)
		admit(t, s, c.ID, t0, pl, "coolify")
		got, err = s.GetPoolSlot(t.Context(), y.ID)
		ok(t, err)
		eq(t, "an ERROR slot stays ERROR", got.Status, store.SlotError)
		eq(t, "but is unassigned", got.AssignedBotID == nil, true)
		again := admitSlot(t, s, c.ID, pl[0])
		if again.ID == y.ID || again.ID == x.ID {
			t.Fatalf("bot re-admitted into slot %d", again.ID)
		}
	}},
	{"DeleteRefusesAssigned", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, onMeeting("zoom"))
		x := admitSlot(t, s, b.ID)
		wantErr(t, s.DeletePoolSlot(t.Context(), x.ID), store.ErrConflict)
		move(t, s, b.ID, api.StatusFatal)
		ok(t, s.DeletePoolSlot(t.Context(), x.ID))
		cur, err := s.GetBot(t.Context(), b.ID)
		ok(t, err)
		eq(t, "slot link cleared", cur.PoolSlotID == nil, true)
	}},
}
