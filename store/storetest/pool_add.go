package storetest

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

// testAddPoolSlotsRace adds slots (as operators and the warm pool do) and
// admits bots (which create slots) at once, through the given stores, one
// per daemon: the pool never exceeds its maximum, numbers are the smallest
// free ones, unique per meeting platform, and names follow them.
func testAddPoolSlotsRace(t *testing.T, stores []store.Store) {
	s := stores[0]
	u := mkUser(t, s)
	meetings := []string{"google-meet", "microsoft-teams", "zoom"}
	pl := pooled("coolify", 100, poolMax)
	bots := make([]store.Bot, workers)
	for i := range bots {
		bots[i] = mkBot(t, s, u.ID, onMeeting(meetings[i%3]), func(b *store.Bot) { b.QueueTimeout = time.Hour })
	}
	added := make([]int, workers)
	race(workers, func(i int) {
		st := stores[i%len(stores)]
		if i%2 == 0 {
			got, err := st.AddPoolSlots(t.Context(), store.AddPoolSlotsParams{Platform: "coolify", MeetingPlatform: meetings[i%3],
				Count: 2, Pool: pl.Pool, Now: t0})
			if err != nil {
				t.Error(err)
			}
			added[i] = len(got)
			return
		}
		if _, err := st.Admit(t.Context(), store.AdmitParams{BotID: bots[i].ID, Platforms: []store.PlatformLimit{pl}, Now: t0}); err != nil {
			t.Error(err)
		}
	})
	slots, err := s.ListPoolSlots(t.Context(), "coolify")
	ok(t, err)
	eq(t, "slots", len(slots), poolMax)
	seen := map[string]bool{}
	for _, x := range slots {
		name := slotName(x.MeetingPlatform, x.Number)
		if seen[name] || x.Name != name {
			t.Fatalf("slot %d is %q (number %d); names must be unique and follow the number", x.ID, x.Name, x.Number)
		}
		seen[name] = true
	}
	got, err := s.AddPoolSlots(t.Context(), store.AddPoolSlotsParams{Platform: "coolify", MeetingPlatform: "zoom", Count: 1, Pool: pl.Pool, Now: t0})
	ok(t, err)
	eq(t, "slots added to a full pool", len(got), 0)
}
