package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

var usageTests = []namedTest{
	{"CountAndSpans", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		day := time.Hour * 24
		mk := func(created time.Time) store.Bot {
			b, err := s.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID}, Now: created})
			ok(t, err)
			return b
		}
		before := mk(t0.Add(-day)) // created the day before, runs into the window
		_, err := s.Admit(t.Context(), store.AdmitParams{BotID: before.ID, Platforms: limits("k8s", 9), Now: t0.Add(-time.Hour)})
		ok(t, err)
		in := mk(t0)
		mk(t0.Add(day)) // after the window
		old := mk(t0.Add(-2 * day))
		move(t, s, old.ID, api.StatusFatal)
		mkBot(t, s, other.ID)
		n, err := s.CountBotsCreated(t.Context(), u.ID, t0, t0.Add(day))
		ok(t, err)
		eq(t, "created", n, 1)
		spans, err := s.BotSpans(t.Context(), u.ID, t0, t0.Add(day))
		ok(t, err)
		eq(t, "spans", len(spans), 2)
		eq(t, "running one", spans[0].BotID, before.ID)
		eqTime(t, "started", spans[0].StartedAt, t0.Add(-time.Hour))
		eq(t, "created one", spans[1].BotID, in.ID)
	}},
}

var maintenanceTests = []namedTest{
	{"Leases", func(t *testing.T, s store.Store) {
		lead := func(holder string, now time.Time) bool {
			got, err := s.TryLead(t.Context(), "workers", holder, now, time.Minute)
			ok(t, err)
			return got
		}
		eq(t, "a takes", lead("a", t0), true)
		eq(t, "b refused", lead("b", t0.Add(30*time.Second)), false)
		eq(t, "a renews", lead("a", t0.Add(50*time.Second)), true)
		eq(t, "b still refused", lead("b", t0.Add(100*time.Second)), false)
		eq(t, "b takes expired", lead("b", t0.Add(111*time.Second)), true)
		eq(t, "a lost it", lead("a", t0.Add(112*time.Second)), false)
		ok(t, s.Resign(t.Context(), "workers", "a")) // not a's: no effect
		eq(t, "still b's", lead("a", t0.Add(113*time.Second)), false)
		ok(t, s.Resign(t.Context(), "workers", "b"))
		eq(t, "a after resign", lead("a", t0.Add(114*time.Second)), true)
	}},
}

var errBoom = errors.New("boom")

var txTests = []namedTest{
	{"CommitRollback", func(t *testing.T, s store.Store) {
		err := s.InTx(t.Context(), func(tx store.Store) error {
			_, err := tx.CreateUser(t.Context(), store.NewUser{Email: "in@example.test", Now: t0})
			ok(t, err)
			return tx.InTx(t.Context(), func(inner store.Store) error {
				_, err := inner.CreateUser(t.Context(), store.NewUser{Email: "nested@example.test", Now: t0})
				return err
			})
		})
		ok(t, err)
		err = s.InTx(t.Context(), func(tx store.Store) error {
			_, err := tx.CreateUser(t.Context(), store.NewUser{Email: "gone@example.test", Now: t0})
			ok(t, err)
			return errBoom
		})
		wantErr(t, err, errBoom)
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("panic swallowed")
				}
			}()
			_ = s.InTx(t.Context(), func(tx store.Store) error {
				_, err := tx.CreateUser(t.Context(), store.NewUser{Email: "panic@example.test", Now: t0})
				ok(t, err)
				panic("boom")
			})
		}()
		n, err := s.CountUsers(t.Context())
		ok(t, err)
		eq(t, "users", n, 2)
	}},
	{"MethodsJoinTx", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		err := s.InTx(t.Context(), func(tx store.Store) error {
			b, err := tx.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID}, DailyLimit: ptr(5), DayStart: t0, Now: t0})
			ok(t, err)
			_, err = tx.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: limits("k8s", 1), Now: t0})
			ok(t, err)
			ok(t, tx.RecordHeartbeats(t.Context(), map[int64]time.Time{b.ID: t0}))
			return errBoom
		})
		wantErr(t, err, errBoom)
		counts, err := s.StatusCounts(t.Context(), u.ID)
		ok(t, err)
		eq(t, "rolled back", len(counts), 0)
		eq(t, "engine", s.Engine() == "sqlite" || s.Engine() == "postgres", true)
	}},
}
