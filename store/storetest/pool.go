package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

func mkSlot(t *testing.T, s store.Store, platform, meeting string, lastUsed *time.Time) store.PoolSlot {
	t.Helper()
	n := seq.Add(1)
	x, err := s.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: platform, MeetingPlatform: meeting,
		Name: fmt.Sprintf("pool-%s-%03d", meeting, n), ApplicationUUID: fmt.Sprint("uuid-", n), LastUsedAt: lastUsed, CreatedAt: t0})
	ok(t, err)
	return x
}

var poolTests = []namedTest{
	{"ClaimLRU", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		recent := mkSlot(t, s, "coolify", "zoom", ptr(t0.Add(-time.Minute)))
		old := mkSlot(t, s, "coolify", "zoom", ptr(t0.Add(-time.Hour)))
		fresh := mkSlot(t, s, "coolify", "zoom", nil)
		mkSlot(t, s, "coolify", "google-meet", nil)
		var got []int64
		for range 3 {
			x, err := s.ClaimPoolSlot(t.Context(), store.ClaimSlotParams{Platform: "coolify", MeetingPlatform: "zoom", BotID: mkBot(t, s, u.ID).ID, Now: t0})
			ok(t, err)
			eq(t, "status", x.Status, store.SlotDeploying)
			eqTime(t, "last used", x.LastUsedAt, t0)
			got = append(got, x.ID)
		}
		eq(t, "never used first", got[0], fresh.ID)
		eq(t, "then oldest", got[1], old.ID)
		eq(t, "then recent", got[2], recent.ID)
		_, err := s.ClaimPoolSlot(t.Context(), store.ClaimSlotParams{Platform: "coolify", MeetingPlatform: "zoom", BotID: mkBot(t, s, u.ID).ID, Now: t0})
		wantErr(t, err, store.ErrNotFound)
	}},
	{"ReleaseUpdateDelete", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		x := mkSlot(t, s, "coolify", "zoom", nil)
		b := mkBot(t, s, u.ID)
		_, err := s.ClaimPoolSlot(t.Context(), store.ClaimSlotParams{Platform: "coolify", MeetingPlatform: "zoom", BotID: b.ID, Now: t0})
		ok(t, err)
		mkSlot(t, s, "coolify", "zoom", nil)
		_, err = s.ClaimPoolSlot(t.Context(), store.ClaimSlotParams{Platform: "coolify", MeetingPlatform: "zoom", BotID: b.ID, Now: t0})
		wantErr(t, err, store.ErrConflict)
		ok(t, s.ReleasePoolSlot(t.Context(), b.ID, t0.Add(time.Minute)))
		ok(t, s.ReleasePoolSlot(t.Context(), b.ID, t0.Add(time.Minute)))
		ok(t, s.UpdatePoolSlot(t.Context(), x.ID, store.SlotError, "boom"))
		list, err := s.ListPoolSlots(t.Context(), "coolify")
		ok(t, err)
		eq(t, "slots", len(list), 2)
		eq(t, "status", list[0].Status, store.SlotError)
		eq(t, "error", list[0].ErrorMessage, "boom")
		eq(t, "attempts", list[0].RecoveryAttempts, 1)
		eqTime(t, "released at", list[0].LastUsedAt, t0.Add(time.Minute))
		wantErr(t, s.UpdatePoolSlot(t.Context(), x.ID+100, store.SlotIdle, ""), store.ErrNotFound)
		wantErr(t, s.UpdatePoolSlot(t.Context(), x.ID, "BROKEN", ""), store.ErrConflict)
		ok(t, s.DeletePoolSlot(t.Context(), x.ID))
		wantErr(t, s.DeletePoolSlot(t.Context(), x.ID), store.ErrNotFound)
		none, err := s.ListPoolSlots(t.Context(), "k8s")
		ok(t, err)
		eq(t, "other platform", len(none), 0)
		_, err = s.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: "coolify", MeetingPlatform: "zoom", Name: list[1].Name, ApplicationUUID: "new", CreatedAt: t0})
		wantErr(t, err, store.ErrConflict)
	}},
}
