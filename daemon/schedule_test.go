package daemon_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// routed reads a bot's ROUTED event.
func routed(t *testing.T, c *api.Client, id int64) api.RoutedEvent {
	t.Helper()
	evs, err := c.Bots().Events(t.Context(), id, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs.Items {
		if e.Type == api.EventRouted {
			var out api.RoutedEvent
			if err := json.Unmarshal(e.Data, &out); err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	t.Fatalf("bot %d has no ROUTED event", id)
	return api.RoutedEvent{}
}

// TestScheduledBotsReserveCapacity is the scheduling walk-through with a
// local capacity of 2: two bots scheduled for the same time in 20 minutes
// are accepted, a third is refused naming the earliest free start; a bot
// created now that ends in time runs, one that would run into the booked
// window is queued; the forecast shows the booking.
func TestScheduledBotsReserveCapacity(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{Limits: map[string]int{platforms.Local: 2}})
		c := d.Admin
		join := time.Now().UTC().Add(20 * time.Minute).Truncate(time.Second)
		sched := func() (*api.Bot, error) {
			return c.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, JoinAt: &join})
		}
		for i := range 2 {
			b, err := sched()
			if err != nil {
				t.Fatalf("scheduled bot %d: %v", i+1, err)
			}
			if b.Status != api.StatusScheduled || b.Reservation == nil || b.Reservation.Platform != platforms.Local {
				t.Fatalf("scheduled bot %d: %s with reservation %+v", i+1, b.Status, b.Reservation)
			}
		}
		_, err := sched()
		ae := wantError(t, err, 409, api.CodeCapacityUnavailable)
		// The booked windows run to join + 1h (the default maximum), so the
		// earliest join with room is then plus the lead.
		if want := join.Add(time.Hour + 2*time.Minute); ae.Problem.EarliestStart == nil || !ae.Problem.EarliestStart.Equal(want) {
			t.Fatalf("earliest start %v, want %v", ae.Problem.EarliestStart, want)
		}
		short := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, MaxDurationSeconds: 600,
			Metadata: map[string]string{"sandbox.step-delay": "20ms", "sandbox.call-ends-after": "200ms"}})
		if short.Status == api.StatusQueued {
			t.Fatal("a bot ending before the booked window was queued")
		}
		long := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, MaxDurationSeconds: 3600})
		if long.Status != api.StatusQueued {
			t.Fatalf("a bot running into the booked window is %s, want QUEUED", long.Status)
		}
		if ev := routed(t, c, short.ID); ev.Chosen != platforms.Local || ev.Policy != api.PolicyPriority {
			t.Fatalf("ROUTED %+v", ev)
		}
		from, to := join.Add(-5*time.Minute), join.Add(5*time.Minute)
		fc, err := c.CapacityForecast(t.Context(), &from, &to, 5*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(fc.Platforms) != 1 || len(fc.Platforms[0].Steps) != 2 || fc.Platforms[0].Steps[1].Reserved != 2 || fc.Platforms[0].Steps[1].Free != 0 {
			t.Fatalf("forecast %+v", fc.Platforms)
		}
		// The short bot ends; the queued long one stays out of the booking.
		botReaches(t, c, short.ID, api.StatusDone)
		if b, err := c.Bots().Get(t.Context(), long.ID); err != nil || b.Status != api.StatusQueued {
			t.Fatalf("long bot after the short one ended: %v %v", b, err)
		}
	})
}

// TestForecastValidation: the forecast names the bad query parameter.
func TestForecastValidation(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		for q, field := range map[string]string{
			"step=10":        "step",
			"step=abc":       "step",
			"from=yesterday": "from",
			"from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z":         "to",
			"from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z&step=60": "step",
		} {
			wantProblem(t, send(t, d, d.AdminKey, "GET", "/v1/capacity/forecast?"+q, ""), 422, api.CodeValidation, field)
		}
		wantProblem(t, send(t, d, d.AdminKey, "GET", "/v1/stats/admission?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", ""), 422, api.CodeValidation, "to")
		wantProblem(t, send(t, d, d.AdminKey, "POST", "/v1/bots", `{"meeting":{"meetingUrl":"`+meetURL+`"},"lobbyNudgeAfterSeconds":-1}`), 422, api.CodeValidation, "lobbyNudgeAfterSeconds")
	})
}

// TestCheapestPolicyRoutes: with PLATFORM_POLICY=cheapest a bot lands on
// the cheaper of two platforms, and its ROUTED event says why.
func TestCheapestPolicyRoutes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		k8s, local := daemontest.NewInProc(platforms.Kubernetes, 4), daemontest.NewInProc(platforms.Local, 4)
		t.Cleanup(func() { _ = k8s.Close(); _ = local.Close() })
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Platforms: []platforms.Platform{k8s, local}, Config: daemon.Config{
			PlatformPriority: []string{platforms.Kubernetes, platforms.Local}, RateLimit: 1000, RateBurst: 1000,
			Schedule: daemon.ScheduleConfig{Policy: api.PolicyCheapest, Costs: map[string]float64{platforms.Kubernetes: 0.5, platforms.Local: 0.1}},
		}})
		b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
		if b.DeploymentPlatform != platforms.Local {
			t.Fatalf("bot on %q, want the cheaper local", b.DeploymentPlatform)
		}
		ev := routed(t, d.Admin, b.ID)
		if ev.Policy != api.PolicyCheapest || ev.Chosen != platforms.Local || len(ev.Candidates) != 2 || !strings.Contains(ev.Reason, "cheapest") {
			t.Fatalf("ROUTED %+v", ev)
		}
		if ev.Candidates[0].Platform != platforms.Local || ev.Candidates[0].CostPerHour != 0.1 || ev.Candidates[1].Free != 4 {
			t.Fatalf("candidates %+v", ev.Candidates)
		}
	})
}

// TestLobbyNudgeAndAdmissionStats: a bot never admitted gets one
// bot.waiting_room event after its nudge time, and the admission
// statistics show one bot of two admitted and one timed out.
func TestLobbyNudgeAndAdmissionStats(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{WorkerInterval: 100 * time.Millisecond})
		c := d.Admin
		fast := map[string]string{"sandbox.step-delay": "20ms", "sandbox.call-ends-after": "200ms"}
		never := map[string]string{"sandbox.step-delay": "20ms", "sandbox.scenario": "never-admitted", "sandbox.waiting-room-timeout": "2s"}
		ok := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, Metadata: fast})
		stuck := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, Metadata: never, LobbyNudgeAfterSeconds: 1})
		botReaches(t, c, ok.ID, api.StatusDone)
		botReaches(t, c, stuck.ID, api.StatusFatal)
		evs, err := c.Bots().Events(t.Context(), stuck.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		nudges := 0
		for _, e := range evs.Items {
			if e.Type == api.EventWaitingRoom {
				nudges++
			}
		}
		if nudges != 1 {
			t.Fatalf("%d WAITING_ROOM events, want 1", nudges)
		}
		st, err := c.AdmissionStats(t.Context(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		tot := st.Total
		if tot.Bots != 2 || tot.Admitted != 1 || tot.TimedOut != 1 || tot.AdmittedShare != 0.5 || tot.WaitP90Seconds < 1.5 {
			t.Fatalf("admission stats %+v", tot)
		}
		if len(st.Hosts) != 1 || st.Hosts[0].Key != "meet.google.com" || len(st.MeetingPlatforms) != 1 {
			t.Fatalf("groups %+v %+v", st.Hosts, st.MeetingPlatforms)
		}
	})
}

// TestRescheduleMovesReservation: a new joinAt moves the booking, is
// refused when the new window is booked out (the old booking kept), and a
// cancelled bot's booking is free again.
func TestRescheduleMovesReservation(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{Limits: map[string]int{platforms.Local: 1}})
		c := d.Admin
		soon, late := fromNow(20*time.Minute), fromNow(5*time.Hour)
		a := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, JoinAt: soon})
		b := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, JoinAt: fromNow(3 * time.Hour)})
		_, err := c.Bots().Update(t.Context(), b.ID, api.UpdateBotRequest{JoinAt: soon})
		wantError(t, err, 409, api.CodeCapacityUnavailable)
		if got, _ := c.Bots().Get(t.Context(), b.ID); got.Reservation == nil || got.Reservation.StartsAt.Before(soon.Add(time.Hour)) {
			t.Fatalf("refused reschedule changed the booking: %+v", got.Reservation)
		}
		moved, err := c.Bots().Update(t.Context(), a.ID, api.UpdateBotRequest{JoinAt: late})
		if err != nil || moved.Reservation == nil || !moved.Reservation.StartsAt.Equal(late.Add(-2*time.Minute)) {
			t.Fatalf("reschedule: %v, %+v", err, moved)
		}
		if _, err := c.Bots().Update(t.Context(), b.ID, api.UpdateBotRequest{JoinAt: soon}); err != nil {
			t.Fatalf("the freed window: %v", err)
		}
		if _, err := c.Bots().Cancel(t.Context(), b.ID); err != nil {
			t.Fatal(err)
		}
		createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}, JoinAt: soon})
	})
}
