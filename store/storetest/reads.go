package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

// readsTests hold the hot API-key reads (Authenticate, GetUserBot,
// ListBots) to what callers rely on: they answer while a write
// transaction is open, without seeing its writes, and see every commit
// made before them.
var readsTests = []namedTest{
	{"BesideAnOpenWrite", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		mkKey(t, s, u.ID, "read11", nil)
		old := mkBot(t, s, u.ID)
		type seen struct {
			bots int
			err  error
		}
		done := make(chan seen, 1)
		err := s.InTx(t.Context(), func(tx store.Store) error {
			if _, err := tx.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID, DisplayName: "uncommitted"}, Now: t0}); err != nil {
				return err
			}
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_, _, err := s.Authenticate(ctx, "read11", t0)
				if err == nil {
					_, err = s.GetUserBot(ctx, u.ID, old.ID)
				}
				var bots []store.Bot
				if err == nil {
					bots, err = s.ListBots(ctx, store.BotFilter{UserID: u.ID})
				}
				done <- seen{len(bots), err}
			}()
			select {
			case got := <-done:
				ok(t, got.err)
				eq(t, "bots listed beside the transaction (its own not committed)", got.bots, 1)
			case <-time.After(5 * time.Second):
				t.Error("the reads waited for the write transaction to end")
			}
			return nil
		})
		ok(t, err)
	}},
	{"ListDecodesEachBot", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		zoom := store.Meeting{URL: "https://zoom.example/1", Platform: "zoom", Password: "p"}
		for i, o := range []func(*store.Bot){
			func(b *store.Bot) { b.Meeting = zoom },
			func(b *store.Bot) { b.Meeting = zoom; b.Metadata = map[string]string{"team": "a"} },
			func(b *store.Bot) {
				b.AutomaticLeave = store.AutomaticLeave{WaitingRoomTimeout: 1, InactivityTimeout: 4}
			},
			func(b *store.Bot) {
				b.AutomaticLeave = store.AutomaticLeave{WaitingRoomTimeout: 1, InactivityTimeout: 4}
			},
			func(b *store.Bot) { b.Metadata = map[string]string{} },
			func(b *store.Bot) { b.Meeting = zoom; b.Metadata = map[string]string{"team": "b", "x": "y"} },
		} {
			mkBot(t, s, u.ID, o, func(b *store.Bot) { b.DisplayName = fmt.Sprint("bot ", i) })
		}
		bots, err := s.ListBots(t.Context(), store.BotFilter{UserID: u.ID})
		ok(t, err)
		eq(t, "bots listed", len(bots), 6)
		for _, b := range bots {
			one, err := s.GetUserBot(t.Context(), u.ID, b.ID)
			ok(t, err)
			if !reflect.DeepEqual(b, one) {
				t.Fatalf("listed\n%+v\nread alone\n%+v", b, one)
			}
		}
		bots[0].Metadata["changed"] = "only here"
		if _, shared := bots[1].Metadata["changed"]; shared {
			t.Fatal("two listed bots share one metadata map")
		}
	}},
	{"SeeEachCommit", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		for i := range 20 {
			b := mkBot(t, s, u.ID)
			got, err := s.GetUserBot(t.Context(), u.ID, b.ID)
			ok(t, err)
			eq(t, "bot read after its create", got.ID, b.ID)
			bots, err := s.ListBots(t.Context(), store.BotFilter{UserID: u.ID, Limit: 100})
			ok(t, err)
			eq(t, "bots listed after each create", len(bots), i+1)
			k := mkKey(t, s, u.ID, "seen"+string(rune('a'+i)), nil)
			gotK, _, err := s.Authenticate(t.Context(), "seen"+string(rune('a'+i)), t0)
			ok(t, err)
			eq(t, "key authenticated after its create", gotK.ID, k.ID)
			_, err = s.RevokeAPIKey(t.Context(), u.ID, k.ID, t0)
			ok(t, err)
			_, _, err = s.Authenticate(t.Context(), "seen"+string(rune('a'+i)), t0)
			wantErr(t, err, store.ErrNotFound)
		}
	}},
}
