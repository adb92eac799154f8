package storetest

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

var botsTests = []namedTest{
	{"CreateRoundTrip", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		want := store.Bot{
			UserID: u.ID, DisplayName: "Notes", ImageURL: "https://img.example/a.png",
			Meeting:          store.Meeting{URL: "https://zoom.example/1", Platform: "zoom", MeetingID: "1", Password: "p"},
			JoinAt:           ptr(t0.Add(time.Hour)),
			MaxDuration:      90 * time.Minute,
			AutomaticLeave:   store.AutomaticLeave{WaitingRoomTimeout: 1, NoOneJoinedTimeout: 2, EveryoneLeftTimeout: 3, InactivityTimeout: 4},
			RecordingEnabled: true, Status: api.StatusScheduled, LogLevel: "DEBUG", CallbackURL: "https://cb.example",
			Metadata: map[string]string{"team": "a", "x.y": "z"}, Priority: 3, QueueTimeout: 5 * time.Minute,
		}
		b, err := s.CreateBot(t.Context(), store.NewBot{Bot: want, Now: t0})
		ok(t, err)
		got, err := s.GetUserBot(t.Context(), u.ID, b.ID)
		ok(t, err)
		want.ID, want.CreatedAt, want.UpdatedAt = b.ID, t0, t0
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("bot =\n%+v\nwant\n%+v", got, want)
		}
		_, err = s.GetUserBot(t.Context(), mkUser(t, s).ID, b.ID)
		wantErr(t, err, store.ErrNotFound)
		_, err = s.GetBot(t.Context(), b.ID+100)
		wantErr(t, err, store.ErrNotFound)
	}},
	{"DailyLimit", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		day := time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC)
		for i := range 4 {
			_, err := s.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID}, DailyLimit: ptr(3), DayStart: day, Now: t0})
			if i < 3 {
				ok(t, err)
			} else {
				wantErr(t, err, store.ErrQuotaExceeded)
			}
		}
		_, err := s.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID}, DailyLimit: ptr(3), DayStart: day.Add(24 * time.Hour), Now: t0})
		ok(t, err)
	}},
	{"ListFilters", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		a := mkBot(t, s, u.ID, func(b *store.Bot) { b.Metadata = map[string]string{"team": "a", "x.y": "1"} })
		z := mkBot(t, s, u.ID, func(b *store.Bot) { b.Meeting.Platform = "zoom" })
		c := mkBot(t, s, u.ID, func(b *store.Bot) { b.Metadata = map[string]string{"team": "b"} })
		mkBot(t, s, other.ID)
		move(t, s, c.ID, api.StatusFatal)
		ids := func(f store.BotFilter) []int64 {
			f.UserID = u.ID
			bots, err := s.ListBots(t.Context(), f)
			ok(t, err)
			var out []int64
			for _, b := range bots {
				out = append(out, b.ID)
			}
			return out
		}
		check := func(what string, got []int64, want ...int64) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s = %v, want %v", what, got, want)
			}
		}
		check("all", ids(store.BotFilter{}), c.ID, z.ID, a.ID)
		check("status", ids(store.BotFilter{Statuses: []api.BotStatus{api.StatusFatal}}), c.ID)
		check("platform", ids(store.BotFilter{MeetingPlatform: "zoom"}), z.ID)
		check("metadata", ids(store.BotFilter{Metadata: map[string]string{"team": "a", "x.y": "1"}}), a.ID)
		check("metadata miss", ids(store.BotFilter{Metadata: map[string]string{"team": "a", "x.y": "2"}}))
		check("before", ids(store.BotFilter{BeforeID: z.ID}), a.ID)
		check("limit", ids(store.BotFilter{Limit: 1}), c.ID)
		check("created", ids(store.BotFilter{CreatedFrom: ptr(t0), CreatedTo: ptr(t0.Add(time.Second))}), c.ID, z.ID, a.ID)
		check("created empty", ids(store.BotFilter{CreatedFrom: ptr(t0.Add(time.Second))}))
	}},
	{"Update", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, func(b *store.Bot) { b.JoinAt = ptr(t0) })
		var noJoin *time.Time
		got, err := s.UpdateBot(t.Context(), u.ID, b.ID, store.BotPatch{
			DisplayName: ptr("New"), JoinAt: &noJoin, Metadata: map[string]string{"k": "v"},
			MaxDuration: ptr(time.Minute), AutomaticLeave: &store.AutomaticLeave{InactivityTimeout: 9}, Now: t0.Add(time.Minute),
		})
		ok(t, err)
		eq(t, "name", got.DisplayName, "New")
		if got.JoinAt != nil || got.Metadata["k"] != "v" || got.MaxDuration != time.Minute || got.AutomaticLeave.InactivityTimeout != 9 {
			t.Fatalf("patch not applied: %+v", got)
		}
		eqTime(t, "updated", &got.UpdatedAt, t0.Add(time.Minute))
		_, err = s.UpdateBot(t.Context(), mkUser(t, s).ID, b.ID, store.BotPatch{DisplayName: ptr("X"), Now: t0})
		wantErr(t, err, store.ErrNotFound)
		deployOn(t, s, b.ID, "local")
		_, err = s.UpdateBot(t.Context(), u.ID, b.ID, store.BotPatch{DisplayName: ptr("X"), Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"DeleteCascades", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		ok(t, s.InsertEvents(t.Context(), []store.Event{{BotID: b.ID, Type: "CREATED", Time: t0}}))
		ok(t, s.InsertLogs(t.Context(), []store.LogEntry{{BotID: b.ID, EntryID: "1", Time: t0, Message: "hi"}}))
		_, err := s.EnqueueChat(t.Context(), []store.ChatMessage{{BotID: b.ID, UserID: u.ID, Text: "hi", EnqueuedAt: t0}})
		ok(t, err)
		_, err = s.InsertScreenshot(t.Context(), store.Screenshot{BotID: b.ID, Key: "k", CapturedAt: t0})
		ok(t, err)
		wantErr(t, s.DeleteBot(t.Context(), mkUser(t, s).ID, b.ID), store.ErrNotFound)
		deployOn(t, s, b.ID, "local")
		move(t, s, b.ID, api.StatusInCall)
		wantErr(t, s.DeleteBot(t.Context(), u.ID, b.ID), store.ErrConflict)
		move(t, s, b.ID, api.StatusDone)
		ok(t, s.DeleteBot(t.Context(), u.ID, b.ID))
		_, err = s.GetBot(t.Context(), b.ID)
		wantErr(t, err, store.ErrNotFound)
		evs, err := s.ListEvents(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "events left", len(evs), 0)
		wantErr(t, s.DeleteBot(t.Context(), u.ID, b.ID), store.ErrNotFound)
	}},
	{"EventsAndLogLevel", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		var evs []store.Event
		for i := range 120 {
			evs = append(evs, store.Event{BotID: b.ID, Type: "LOG", Time: t0.Add(time.Duration(i) * time.Second), Data: json.RawMessage(`{"i":1}`)})
		}
		evs[0].Data = nil
		ok(t, s.InsertEvents(t.Context(), evs))
		page, err := s.ListEvents(t.Context(), b.ID, store.Page{Limit: 100})
		ok(t, err)
		eq(t, "page", len(page), 100)
		if page[0].Data != nil || string(page[1].Data) == "" {
			t.Fatalf("data = %q, %q", page[0].Data, page[1].Data)
		}
		rest, err := s.ListEvents(t.Context(), b.ID, store.Page{AfterID: page[99].ID})
		ok(t, err)
		eq(t, "rest", len(rest), 20)
		eqTime(t, "last time", &rest[19].Time, t0.Add(119*time.Second))
		ok(t, s.SetLogLevel(t.Context(), u.ID, b.ID, "WARN"))
		wantErr(t, s.SetLogLevel(t.Context(), mkUser(t, s).ID, b.ID, "WARN"), store.ErrNotFound)
		got, _ := s.GetBot(t.Context(), b.ID)
		eq(t, "level", got.LogLevel, "WARN")
	}},
	{"StatusCountsFindBots", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		bots := mkBots(t, s, u.ID, 3)
		mkBot(t, s, other.ID)
		deployOn(t, s, bots[0].ID, "k8s")
		deployOn(t, s, bots[1].ID, "ecs")
		move(t, s, bots[1].ID, api.StatusInCall)
		counts, err := s.StatusCounts(t.Context(), u.ID)
		ok(t, err)
		eq(t, "scheduled", counts[api.StatusScheduled], 1)
		eq(t, "in call", counts[api.StatusInCall], 1)
		all, err := s.StatusCounts(t.Context(), 0)
		ok(t, err)
		eq(t, "all scheduled", all[api.StatusScheduled], 2)
		find := func(q store.BotQuery) int {
			got, err := s.FindBots(t.Context(), q)
			ok(t, err)
			return len(got)
		}
		live := []api.BotStatus{api.StatusDeploying, api.StatusInCall}
		eq(t, "live", find(store.BotQuery{Statuses: live}), 2)
		eq(t, "on k8s", find(store.BotQuery{Statuses: live, Platform: "k8s"}), 1)
		eq(t, "stale", find(store.BotQuery{Statuses: live, HeartbeatBefore: ptr(t0.Add(time.Second))}), 2)
		ok(t, s.RecordHeartbeats(t.Context(), map[int64]time.Time{bots[1].ID: t0.Add(time.Minute)}))
		eq(t, "stale after beat", find(store.BotQuery{Statuses: live, HeartbeatBefore: ptr(t0.Add(time.Second))}), 1)
		eq(t, "deploy before", find(store.BotQuery{Statuses: live, DeployBefore: ptr(t0)}), 0)
		eq(t, "due", find(store.BotQuery{Statuses: []api.BotStatus{api.StatusScheduled}, JoinAtBefore: ptr(t0)}), 2)
	}},
}
