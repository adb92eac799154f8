package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestFeedOutage: changes committed before the database went away are
// neither lost nor numbered twice by reads that failed meanwhile (on
// PostgreSQL each read numbers what is pending first): once it is back,
// the feed holds each of them once, in order and without gaps.
func TestFeedOutage(t *testing.T) {
	t.Parallel()
	for engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s, outage := storetest.OpenWithOutage(t, engine)
			u, err := s.CreateUser(t.Context(), store.NewUser{Email: "feed-outage@example.com", Name: "F", Role: store.RoleMember, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for range 3 {
				b, err := s.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID}, Now: time.Now()})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, b.ID)
			}
			outage.Down()
			if _, err := s.ReadChanges(t.Context(), store.ChangeQuery{}); !errors.Is(err, store.ErrUnavailable) {
				t.Fatalf("a read during the outage: %v, want unavailable", err)
			}
			if _, err := s.ChangeBounds(t.Context()); !errors.Is(err, store.ErrUnavailable) {
				t.Fatalf("the bounds during the outage: %v, want unavailable", err)
			}
			outage.Up()
			var cs []store.Change
			deadline := time.Now().Add(30 * time.Second)
			for cs, err = s.ReadChanges(t.Context(), store.ChangeQuery{}); err != nil; cs, err = s.ReadChanges(t.Context(), store.ChangeQuery{}) {
				if time.Now().After(deadline) {
					t.Fatalf("the feed after the outage: %v", err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if len(cs) != len(ids) {
				t.Fatalf("after the outage the feed has %d changes, want %d", len(cs), len(ids))
			}
			for i, c := range cs {
				if c.Seq != int64(i+1) || c.BotID != ids[i] {
					t.Errorf("change %d: seq %d bot %d, want seq %d bot %d", i, c.Seq, c.BotID, i+1, ids[i])
				}
			}
		})
	}
}
