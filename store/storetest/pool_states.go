package storetest

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// slotIn makes a slot in the given status, through the moves a daemon makes.
func slotIn(t *testing.T, s store.Store, status string) store.PoolSlot {
	t.Helper()
	u := mkUser(t, s)
	b := mkBot(t, s, u.ID, onMeeting("zoom"))
	x := admitSlot(t, s, b.ID)
	up := func(to string) {
		var err error
		x, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, To: to, Error: "e", Now: t0})
		ok(t, err)
	}
	switch status {
	case store.SlotHealthy:
		up(store.SlotHealthy)
	case store.SlotError:
		up(store.SlotError)
	case store.SlotReleasing:
		move(t, s, b.ID, api.StatusDone)
		x, _ = s.GetPoolSlot(t.Context(), x.ID)
	case store.SlotIdle:
		move(t, s, b.ID, api.StatusDone)
		up(store.SlotIdle)
	}
	eq(t, "made", x.Status, status)
	return x
}

var poolStateTests = []namedTest{
	{"StateMachine", func(t *testing.T, s store.Store) {
		all := []string{store.SlotIdle, store.SlotDeploying, store.SlotHealthy, store.SlotReleasing, store.SlotError}
		allowed := map[[2]string]bool{
			{store.SlotDeploying, store.SlotHealthy}: true, {store.SlotDeploying, store.SlotError}: true,
			{store.SlotDeploying, store.SlotReleasing}: true, {store.SlotHealthy, store.SlotError}: true,
			{store.SlotHealthy, store.SlotReleasing}: true, {store.SlotReleasing, store.SlotError}: true,
			{store.SlotReleasing, store.SlotIdle}: true, {store.SlotError, store.SlotIdle}: true,
		}
		for _, from := range all {
			for _, to := range all {
				x := slotIn(t, s, from)
				_, err := s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, To: to, Now: t0})
				if allowed[[2]string{from, to}] {
					ok(t, err)
				} else if err == nil {
					t.Errorf("%s -> %s allowed", from, to)
				} else {
					wantErr(t, err, store.ErrConflict)
				}
			}
		}
		_, err := s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: 1 << 40, To: store.SlotIdle, Now: t0})
		wantErr(t, err, store.ErrNotFound)
	}},
	{"ErrorsAndRecovery", func(t *testing.T, s store.Store) {
		x := slotIn(t, s, store.SlotError)
		eq(t, "attempts", x.RecoveryAttempts, 1)
		eq(t, "message", x.ErrorMessage, "e")
		x, err := s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, To: store.SlotIdle, Now: t0.Add(time.Minute)})
		ok(t, err)
		eq(t, "error cleared", x.ErrorMessage, "")
		eq(t, "attempts kept until a deploy works", x.RecoveryAttempts, 1)
		eqTime(t, "last used", x.LastUsedAt, t0.Add(time.Minute))
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, onMeeting("zoom"))
		eq(t, "taken again", admitSlot(t, s, b.ID, pooled("coolify", 9, 1)).ID, x.ID)
		x, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, To: store.SlotHealthy, Now: t0})
		ok(t, err)
		eq(t, "a good deploy resets attempts", x.RecoveryAttempts, 0)
	}},
	{"Leases", func(t *testing.T, s store.Store) {
		x := slotIn(t, s, store.SlotReleasing)
		lease := func(holder string, now time.Time) []store.PoolSlot {
			got, err := s.LeasePoolSlots(t.Context(), store.LeasePoolSlotsParams{Platform: "coolify", Holder: holder,
				Statuses: []string{store.SlotReleasing}, Now: now, LeaseFor: time.Minute})
			ok(t, err)
			return got
		}
		got := lease("d1", t0)
		eq(t, "leased", len(got), 1)
		eq(t, "holder", got[0].LeaseHolder, "d1")
		eq(t, "not to two holders", len(lease("d2", t0.Add(time.Second))), 0)
		eq(t, "renewed by its holder", len(lease("d1", t0.Add(30*time.Second))), 1)
		eq(t, "still held", len(lease("d2", t0.Add(80*time.Second))), 0)
		_, err := s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, Holder: "d2", To: store.SlotIdle, Now: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrConflict)
		_, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, To: store.SlotIdle, Now: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrConflict)
		eq(t, "taken over once expired", len(lease("d2", t0.Add(2*time.Minute))), 1)
		wantErr(t, s.ReleasePoolSlotLease(t.Context(), x.ID, "d1"), store.ErrConflict)
		ok(t, s.ReleasePoolSlotLease(t.Context(), x.ID, "d2"))
		got = lease("d3", t0.Add(2*time.Minute))
		eq(t, "free again", len(got), 1)
		x, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: x.ID, Holder: "d3", To: store.SlotIdle, Now: t0.Add(2 * time.Minute)})
		ok(t, err)
		eq(t, "the move ends the lease", x.LeaseHolder, "")
	}},
	{"LeaseFilters", func(t *testing.T, s store.Store) {
		a := slotIn(t, s, store.SlotDeploying)
		b := slotIn(t, s, store.SlotDeploying)
		got, err := s.LeasePoolSlots(t.Context(), store.LeasePoolSlotsParams{Platform: "coolify", Holder: "d",
			Statuses: []string{store.SlotDeploying}, ChangedBefore: ptr(t0), Now: t0, LeaseFor: time.Minute})
		ok(t, err)
		eq(t, "none changed before t0", len(got), 0)
		got, err = s.LeasePoolSlots(t.Context(), store.LeasePoolSlotsParams{Platform: "coolify", Holder: "d",
			Statuses: []string{store.SlotDeploying}, IDs: []int64{b.ID}, Now: t0, LeaseFor: time.Minute})
		ok(t, err)
		eq(t, "by id", len(got), 1)
		eq(t, "the one asked for", got[0].ID, b.ID)
		_ = a
		_, err = s.LeasePoolSlots(t.Context(), store.LeasePoolSlotsParams{Platform: "coolify", Holder: "d", Now: t0})
		if err == nil {
			t.Fatal("a lease without statuses was accepted")
		}
	}},
	{"SetApp", func(t *testing.T, s store.Store) {
		x := slotIn(t, s, store.SlotDeploying)
		set := func(holder, uuid, token string) (store.PoolSlot, error) {
			return s.SetPoolSlotApp(t.Context(), store.SetPoolSlotAppParams{ID: x.ID, Holder: holder, AppUUID: uuid, TokenHash: token, Now: t0})
		}
		_, err := s.LeasePoolSlots(t.Context(), store.LeasePoolSlotsParams{Platform: "coolify", Holder: "d", IDs: []int64{x.ID},
			Statuses: []string{store.SlotDeploying}, Now: t0, LeaseFor: time.Minute})
		ok(t, err)
		_, err = set("other", "app-1", "h1")
		wantErr(t, err, store.ErrConflict)
		got, err := set("d", "app-1", "h1")
		ok(t, err)
		eq(t, "app", got.ApplicationUUID, "app-1")
		eq(t, "kept the lease", got.LeaseHolder, "d")
		got, err = s.PoolSlotByToken(t.Context(), "h1")
		ok(t, err)
		eq(t, "by token", got.ID, x.ID)
		got, err = set("d", "", "")
		ok(t, err)
		eq(t, "forgotten", got.ApplicationUUID, "")
		eq(t, "token kept", got.TokenHash, "h1")
		y := mkSlot(t, s, "coolify", "zoom", nil)
		_, err = set("d", y.ApplicationUUID, "")
		wantErr(t, err, store.ErrConflict)
	}},
}
