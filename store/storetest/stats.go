package storetest

import (
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

var statsTests = []namedTest{
	{"FleetStats", func(t *testing.T, s store.Store) {
		empty, err := s.FleetStats(t.Context())
		ok(t, err)
		eq(t, "no bots", len(empty.Bots), 0)
		u := mkUser(t, s)
		mkBots(t, s, u.ID, 2)
		deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		// A slot fails only while deploying: a Zoom bot takes the idle
		// slot, whose deploy then fails; the second slot stays idle.
		mkSlot(t, s, "coolify", "zoom", nil)
		slot := admitSlot(t, s, mkBot(t, s, u.ID, onMeeting("zoom")).ID, pooled("coolify", 10, 10))
		mkSlot(t, s, "coolify", "zoom", nil)
		queued := mkBot(t, s, u.ID, withCallback)
		admit(t, s, queued.ID, t0, limits("k8s", 0))
		_, err = s.UpdatePoolSlot(t.Context(), store.UpdatePoolSlotParams{ID: slot.ID, To: store.SlotError, Error: "boom", Now: t0})
		ok(t, err)
		e := mkEndpoint(t, s, u.ID, "https://a.example/x")
		mkEndpoint(t, s, u.ID, "https://a.example/y")
		b := mkBot(t, s, u.ID)
		move(t, s, b.ID, api.StatusDone)
		failAttempt(t, s, e.ID, t0, store.WebhookAttempt{Disable: "gone"})
		st, err := s.FleetStats(t.Context())
		ok(t, err)
		counts := map[string]int{}
		for _, c := range st.Bots {
			counts[c.Status+"/"+c.Platform] = c.N
		}
		eq(t, "scheduled", counts["SCHEDULED/"], 2)
		eq(t, "deploying on k8s", counts["DEPLOYING/k8s"], 1)
		eq(t, "queued", counts["QUEUED/"], 1)
		eq(t, "done", counts["DONE/"], 1)
		eq(t, "queue depth", st.QueueDepth, 1)
		slots := map[string]int{}
		for _, c := range st.Slots {
			slots[c.Platform+"/"+c.Status] = c.N
		}
		eq(t, "idle slots", slots["coolify/IDLE"], 1)
		eq(t, "broken slots", slots["coolify/ERROR"], 1)
		eq(t, "active endpoints", st.Endpoints.Active, 1)
		eq(t, "disabled endpoints", st.Endpoints.Disabled, 1)
		// The queued bot's webhooks to its callback, and the done bot's to
		// the endpoint still enabled.
		if st.OutboxDue < 2 {
			t.Fatalf("outbox due %d, want at least the queued and the ended bot's", st.OutboxDue)
		}
	}},
}
