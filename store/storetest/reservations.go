package storetest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// book creates a scheduled bot with a reservation request for start..end.
func book(t *testing.T, s store.Store, userID int64, pl []store.PlatformLimit, start, end time.Time, bestEffort bool) (store.Bot, error) {
	t.Helper()
	join := start.Add(2 * time.Minute)
	return s.CreateBot(t.Context(), store.NewBot{Now: t0,
		Bot:     store.Bot{UserID: userID, Status: api.StatusScheduled, JoinAt: &join, MaxDuration: end.Sub(start), Meeting: store.Meeting{URL: "https://meet.example/x", Platform: "google-meet"}},
		Reserve: &store.ReserveParams{Platforms: pl, Start: start, End: end, BestEffort: bestEffort}})
}

func mustBook(t *testing.T, s store.Store, userID int64, pl []store.PlatformLimit, start, end time.Time) store.Bot {
	t.Helper()
	b, err := book(t, s, userID, pl, start, end, false)
	ok(t, err)
	return b
}

// routedEvent reads the bot's ROUTED event.
func routedEvent(t *testing.T, s store.Store, botID int64) api.RoutedEvent {
	t.Helper()
	evs, err := s.ListEvents(t.Context(), botID, store.Page{Limit: 100})
	ok(t, err)
	for _, e := range evs {
		if e.Type == api.EventRouted {
			var out api.RoutedEvent
			ok(t, json.Unmarshal(e.Data, &out))
			return out
		}
	}
	t.Fatalf("bot %d has no ROUTED event in %v", botID, evs)
	return api.RoutedEvent{}
}

var reservationTests = []namedTest{
	{"BookThenRefuseNamingEarliestStart", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := limits("local", 2)
		start, end := t0.Add(18*time.Minute), t0.Add(80*time.Minute)
		a := mustBook(t, s, u.ID, pl, start, end)
		mustBook(t, s, u.ID, pl, start.Add(5*time.Minute), end)
		_, err := book(t, s, u.ID, pl, start, end, false)
		var cu *store.CapacityUnavailableError
		if !errors.As(err, &cu) || !errors.Is(err, store.ErrCapacityUnavailable) {
			t.Fatalf("third booking: %v, want capacity unavailable", err)
		}
		eqTime(t, "earliest start", cu.EarliestStart, end)
		counts, err := s.StatusCounts(t.Context(), u.ID)
		ok(t, err)
		eq(t, "bots kept", counts[api.StatusScheduled], 2) // the refused bot was not stored
		r, err := s.GetReservation(t.Context(), a.ID)
		ok(t, err)
		eq(t, "platform", r.Platform, "local")
		eqTime(t, "starts", &r.StartsAt, start)
		eqTime(t, "ends", &r.EndsAt, end)
		// A window after the bookings fits; best effort keeps the bot unbooked.
		mustBook(t, s, u.ID, pl, end, end.Add(time.Hour))
		c, err := book(t, s, u.ID, pl, start, end, true)
		ok(t, err)
		_, err = s.GetReservation(t.Context(), c.ID)
		wantErr(t, err, store.ErrNotFound)
	}},
	{"SecondPlatformTakesTheOverflow", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := limits("k8s", 1, "aws", 1)
		start, end := t0.Add(time.Hour), t0.Add(2*time.Hour)
		a := mustBook(t, s, u.ID, pl, start, end)
		b := mustBook(t, s, u.ID, pl, start, end)
		ra, err := s.GetReservation(t.Context(), a.ID)
		ok(t, err)
		rb, err := s.GetReservation(t.Context(), b.ID)
		ok(t, err)
		eq(t, "first", ra.Platform, "k8s")
		eq(t, "second", rb.Platform, "aws")
		starting, err := s.ReservationsStarting(t.Context(), t0, start.Add(time.Minute))
		ok(t, err)
		eq(t, "k8s starting", starting["k8s"]["google-meet"], 1)
		eq(t, "aws starting", starting["aws"]["google-meet"], 1)
	}},
	{"RunningBotsCountUntilTheirExpectedEnd", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := limits("local", 1)
		r := mkBot(t, s, u.ID, func(b *store.Bot) { b.MaxDuration = 30 * time.Minute })
		deployOn(t, s, r.ID, "local")
		_, err := book(t, s, u.ID, pl, t0.Add(10*time.Minute), t0.Add(40*time.Minute), false)
		var cu *store.CapacityUnavailableError
		if !errors.As(err, &cu) {
			t.Fatalf("booking over a running bot: %v", err)
		}
		eqTime(t, "earliest start", cu.EarliestStart, t0.Add(30*time.Minute))
		mustBook(t, s, u.ID, pl, t0.Add(30*time.Minute), t0.Add(60*time.Minute))
	}},
	{"AdmissionKeepsReservedCapacity", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := limits("local", 2)
		start, end := t0.Add(18*time.Minute), t0.Add(80*time.Minute)
		a := mustBook(t, s, u.ID, pl, start, end)
		b := mustBook(t, s, u.ID, pl, start, end)
		short := mkBot(t, s, u.ID, func(b *store.Bot) { b.MaxDuration = 10 * time.Minute; b.QueueTimeout = 3 * time.Hour })
		long := mkBot(t, s, u.ID, func(b *store.Bot) { b.MaxDuration = time.Hour; b.QueueTimeout = 3 * time.Hour })
		prio := store.Routing{Policy: api.PolicyPriority}
		res, err := s.Admit(t.Context(), store.AdmitParams{BotID: short.ID, Platforms: pl, Now: t0, Routing: prio})
		ok(t, err)
		eq(t, "short bot deploys", res.Queued, false)
		eq(t, "long bot queued", admit(t, s, long.ID, t0, pl).Queued, true)
		ev := routedEvent(t, s, short.ID)
		eq(t, "chosen", ev.Chosen, "local")
		eq(t, "free seen", ev.Candidates[0].Free, 2)
		// A short bot queued behind the long one passes it: only the
		// reservations keep the long one out.
		tiny := mkBot(t, s, u.ID, func(b *store.Bot) { b.MaxDuration = 5 * time.Minute; b.QueueTimeout = 3 * time.Hour })
		eq(t, "tiny queued behind", admit(t, s, tiny.ID, t0, pl).Queued, true)
		got, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: pl, Now: t0.Add(time.Second)})
		ok(t, err)
		eq(t, "admitted from the queue", len(got), 1)
		eq(t, "which", got[0].ID, tiny.ID)
		move(t, s, short.ID, api.StatusDone)
		move(t, s, tiny.ID, api.StatusDone)
		// At their time the reserved bots go ahead of the queued one.
		res, err = s.Admit(t.Context(), store.AdmitParams{BotID: a.ID, Platforms: pl, Now: start, Routing: prio})
		ok(t, err)
		eq(t, "reserved a", res.Queued, false)
		eq(t, "reserved b", admit(t, s, b.ID, start, pl).Queued, false)
		if ev := routedEvent(t, s, a.ID); !strings.Contains(ev.Reason, "reservation") {
			t.Fatalf("reason %q does not name the reservation", ev.Reason)
		}
		st, err := s.GetBot(t.Context(), long.ID)
		ok(t, err)
		eq(t, "long still queued", st.Status, api.StatusQueued)
	}},
	{"CancelAndRescheduleRelease", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := limits("local", 1)
		start, end := t0.Add(time.Hour), t0.Add(2*time.Hour)
		a := mustBook(t, s, u.ID, pl, start, end)
		move(t, s, a.ID, api.StatusFatal) // cancelled
		_, err := s.GetReservation(t.Context(), a.ID)
		wantErr(t, err, store.ErrNotFound)
		b := mustBook(t, s, u.ID, pl, start, end)
		later := end.Add(time.Hour)
		jp := &later
		_, err = s.UpdateBot(t.Context(), u.ID, b.ID, store.BotPatch{JoinAt: &jp, Now: t0,
			Rebook: &store.ReserveParams{Platforms: pl, Start: later.Add(-2 * time.Minute), End: later.Add(time.Hour)}})
		ok(t, err)
		mustBook(t, s, u.ID, pl, start, end) // the old window is free again
		// Rescheduling into a booked window fails and keeps the old booking.
		_, err = s.UpdateBot(t.Context(), u.ID, b.ID, store.BotPatch{JoinAt: &jp, Now: t0,
			Rebook: &store.ReserveParams{Platforms: pl, Start: start, End: end}})
		wantErr(t, err, store.ErrCapacityUnavailable)
		r, err := s.GetReservation(t.Context(), b.ID)
		ok(t, err)
		eqTime(t, "kept", &r.StartsAt, later.Add(-2*time.Minute))
	}},
	{"RoutingByCostAndLatency", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		pl := []store.PlatformLimit{{Name: "k8s", Limit: 5, CostPerHour: 0.5}, {Name: "coolify", Limit: 5, CostPerHour: 0.2}}
		b := mkBot(t, s, u.ID)
		res, err := s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: pl, Now: t0, Routing: store.Routing{Policy: api.PolicyCheapest}})
		ok(t, err)
		eq(t, "cheapest", res.Platform, "coolify")
		ev := routedEvent(t, s, b.ID)
		eq(t, "policy", ev.Policy, api.PolicyCheapest)
		eq(t, "candidates", len(ev.Candidates), 2)
		eq(t, "first candidate", ev.Candidates[0].Platform, "coolify")
		if !strings.Contains(ev.Reason, "cheapest") {
			t.Fatalf("reason %q", ev.Reason)
		}
		c := mkBot(t, s, u.ID)
		lat := map[string]map[string]time.Duration{"k8s": {"google-meet": 4 * time.Second}, "coolify": {"google-meet": 9 * time.Second}}
		res, err = s.Admit(t.Context(), store.AdmitParams{BotID: c.ID, Platforms: pl, Now: t0, Routing: store.Routing{Policy: api.PolicyFastest, Latency: lat}})
		ok(t, err)
		eq(t, "fastest", res.Platform, "k8s")
		ev = routedEvent(t, s, c.ID)
		if ev.Candidates[0].LatencySeconds == nil || *ev.Candidates[0].LatencySeconds != 4 {
			t.Fatalf("latency %v", ev.Candidates[0].LatencySeconds)
		}
	}},
	{"WaitingRoomNudgeOnce", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, func(b *store.Bot) { b.CallbackURL = "https://hooks.example/x" })
		quick, err := s.CreateBot(t.Context(), store.NewBot{Now: t0, LobbyNudgeAfter: 10 * time.Second,
			Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled, Meeting: store.Meeting{URL: "https://meet.example/q", Platform: "zoom"}}})
		ok(t, err)
		for _, id := range []int64{b.ID, quick.ID} {
			deployOn(t, s, id, "local")
			_, err := s.Transition(t.Context(), store.TransitionParams{BotID: id, To: api.StatusInWaitingRoom, Now: t0,
				Event: &store.Event{Type: string(api.StatusInWaitingRoom)}})
			ok(t, err)
		}
		got, err := s.NudgeWaiting(t.Context(), t0.Add(30*time.Second))
		ok(t, err)
		eq(t, "nudged at 30s", len(got), 1)
		eq(t, "the quick one", got[0].ID, quick.ID)
		got, err = s.NudgeWaiting(t.Context(), t0.Add(61*time.Second))
		ok(t, err)
		eq(t, "nudged at 61s", len(got), 1)
		eq(t, "the default one", got[0].ID, b.ID)
		got, err = s.NudgeWaiting(t.Context(), t0.Add(10*time.Minute))
		ok(t, err)
		eq(t, "nudged again", len(got), 0)
		hooks := ofType(deliveries(t, s, b.ID), api.WebhookBotWaitingRoom)
		eq(t, "webhooks", len(hooks), 1)
		var body api.WaitingRoomWebhook
		ok(t, json.Unmarshal(hooks[0].Payload, &body))
		eq(t, "waited", body.WaitingSeconds, int64(61))
		d, err := s.LobbyNudgeAfter(t.Context(), quick.ID)
		ok(t, err)
		eq(t, "nudge after", d, 10*time.Second)
	}},
	{"JoinLatencies", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		for _, d := range []time.Duration{4 * time.Second, 6 * time.Second, 30 * time.Second} {
			b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
			_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusJoiningCall, Now: t0.Add(d),
				Event: &store.Event{Type: string(api.StatusJoiningCall)}})
			ok(t, err)
		}
		deployOn(t, s, mkBot(t, s, u.ID).ID, "aws") // never reached the call: not counted
		got, err := s.JoinLatencies(t.Context(), 50)
		ok(t, err)
		eq(t, "k8s median", got["k8s"]["google-meet"], 6*time.Second)
		eq(t, "platforms observed", len(got), 1)
	}},
	{"AdmissionSamples", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		other := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		deployOn(t, s, b.ID, "local")
		for i, st := range []api.BotStatus{api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall} {
			_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: st, Now: t0.Add(time.Duration(i) * 10 * time.Second),
				Event: &store.Event{Type: string(st)}})
			ok(t, err)
		}
		mkBot(t, s, u.ID) // never tried to join
		o := mkBot(t, s, other.ID)
		deployOn(t, s, o.ID, "local")
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: o.ID, To: api.StatusJoiningCall, Now: t0, Event: &store.Event{Type: "JOINING_CALL"}})
		ok(t, err)
		got, err := s.AdmissionSamples(t.Context(), u.ID, t0.Add(-time.Hour), t0.Add(time.Hour))
		ok(t, err)
		eq(t, "samples", len(got), 1)
		eqTime(t, "waiting at", got[0].WaitingAt, t0.Add(10*time.Second))
		eqTime(t, "in call at", got[0].InCallAt, t0.Add(20*time.Second))
		all, err := s.AdmissionSamples(t.Context(), 0, t0.Add(-time.Hour), t0.Add(time.Hour))
		ok(t, err)
		eq(t, "every user's", len(all), 2)
	}},
}
