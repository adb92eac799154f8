package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

var transitionTests = []namedTest{
	{"HappyPath", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		for _, st := range []api.BotStatus{api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall, api.StatusInCall, api.StatusLeaving, api.StatusCallEnded} {
			b = move(t, s, b.ID, st)
			eq(t, "status", b.Status, st)
		}
		eqTime(t, "joined", b.JoinedAt, t0)
		done, err := s.Transition(t.Context(), store.TransitionParams{
			BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted, RecordingKey: "rec/1.mp4",
			SpeakerTimeframes: json.RawMessage(`[{"speakerName":"A","start":0,"end":1}]`),
			Event:             &store.Event{Type: "DONE"}, Now: t0.Add(time.Hour),
		})
		ok(t, err)
		eq(t, "reason", done.EndReason, api.ReasonCompleted)
		eq(t, "recording", done.RecordingKey, "rec/1.mp4")
		eqTime(t, "ended", done.EndedAt, t0.Add(time.Hour))
		eqTime(t, "joined kept", done.JoinedAt, t0)
		if len(done.SpeakerTimeframes) == 0 {
			t.Fatal("speaker timeframes not stored")
		}
		evs, err := s.ListEvents(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "events", len(evs), 1)
		eqTime(t, "event time", &evs[0].Time, t0.Add(time.Hour))
	}},
	{"JoinedAtOnce", func(t *testing.T, s store.Store) {
		b := deployOn(t, s, mkBot(t, s, mkUser(t, s).ID).ID, "k8s")
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusInWaitingRoom, Now: t0})
		ok(t, err)
		got, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusInCall, Now: t0.Add(time.Minute)})
		ok(t, err)
		eqTime(t, "joined", got.JoinedAt, t0)
	}},
	{"Illegal", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusInCall, Event: &store.Event{Type: "X"}, Now: t0})
		wantErr(t, err, store.ErrConflict)
		evs, _ := s.ListEvents(t.Context(), b.ID, store.Page{})
		eq(t, "no event", len(evs), 0)
		_, err = s.Transition(t.Context(), store.TransitionParams{BotID: b.ID + 100, To: api.StatusFatal, Reason: "x", Now: t0})
		wantErr(t, err, store.ErrNotFound)
		_, err = s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusFatal, Now: t0})
		if err == nil {
			t.Fatal("FATAL without a reason accepted")
		}
		move(t, s, b.ID, api.StatusFatal)
		_, err = s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusFatal, Reason: "again", Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"FromGuard", func(t *testing.T, s store.Store) {
		b := mkBot(t, s, mkUser(t, s).ID)
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusFatal, Reason: "x",
			From: []api.BotStatus{api.StatusQueued}, Now: t0})
		wantErr(t, err, store.ErrConflict)
		_, err = s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusFatal, Reason: "x",
			From: []api.BotStatus{api.StatusScheduled}, Now: t0})
		ok(t, err)
	}},
	{"TerminalFreesQueueAndSlot", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		q := mkBot(t, s, u.ID)
		res, err := s.Admit(t.Context(), store.AdmitParams{BotID: q.ID, Now: t0}) // no platforms: queued
		ok(t, err)
		eq(t, "queued", res.Queued, true)
		move(t, s, q.ID, api.StatusFatal)
		entries, err := s.ListQueue(t.Context(), 0)
		ok(t, err)
		eq(t, "queue", len(entries), 0)

		b := mkBot(t, s, u.ID)
		slot, err := s.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: "coolify", MeetingPlatform: "google-meet", Name: "s1", ApplicationUUID: "u1", CreatedAt: t0})
		ok(t, err)
		eq(t, "admitted into the slot", admitSlot(t, s, b.ID).ID, slot.ID)
		move(t, s, b.ID, api.StatusDone)
		slots, err := s.ListPoolSlots(t.Context(), "coolify")
		ok(t, err)
		eq(t, "slot", slots[0].ID, slot.ID)
		// Released, but not handed out until its container is seen stopped.
		eq(t, "slot status", slots[0].Status, store.SlotReleasing)
		if slots[0].AssignedBotID != nil {
			t.Fatal("slot still assigned")
		}
	}},
	{"GenericQueueAndDeploy", func(t *testing.T, s store.Store) {
		b := mkBot(t, s, mkUser(t, s).ID, func(b *store.Bot) { b.QueueTimeout = time.Hour })
		q, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusQueued, Now: t0})
		ok(t, err)
		eqTime(t, "queued at", q.QueuedAt, t0)
		entries, err := s.ListQueue(t.Context(), 0)
		ok(t, err)
		eq(t, "queue row", len(entries), 1)
		d, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDeploying, Now: t0.Add(time.Minute)})
		ok(t, err)
		eqTime(t, "deploy start", d.DeployStartedAt, t0.Add(time.Minute))
		d, err = s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDeploying, Now: t0.Add(time.Hour)})
		ok(t, err)
		eqTime(t, "deploy start kept", d.DeployStartedAt, t0.Add(time.Minute))
		entries, _ = s.ListQueue(t.Context(), 0)
		eq(t, "queue row gone", len(entries), 0)
	}},
}
