package account

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

func dailyOf(l store.Limits) string {
	if l.DailyBots == nil {
		return "unlimited"
	}
	return fmt.Sprint(*l.DailyBots)
}

// TestLimits_Cache: a burst of one owner's creates reads their limits
// once; a change through this daemon is seen at once, one through another
// daemon within the TTL.
func TestLimits_Cache(t *testing.T) {
	t.Parallel()
	admin := domain.Caller{User: store.User{ID: -1, Role: store.RoleAdmin}}
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			b := setupCache(t, st)
			u := b.caller.User
			for range 10 {
				if _, err := b.svc.Limits(t.Context(), u); err != nil {
					t.Fatal(err)
				}
			}
			if n := b.st.limitReads.Load(); n != 1 {
				t.Fatalf("%d reads of the limits, want 1", n)
			}
			seven := 7
			if _, err := b.svc.UpdateUser(t.Context(), admin, u.ID, UserPatch{CustomDailyBotLimit: &seven}); err != nil {
				t.Fatal(err)
			}
			l, err := b.svc.Limits(t.Context(), u)
			if err != nil || dailyOf(l) != "7" {
				t.Fatalf("after a change here: daily %s, %v; want 7 at once", dailyOf(l), err)
			}
			other := New(slog.New(slog.DiscardHandler), st, b.svc.now)
			nine := 9
			changed := time.Now()
			if _, err := other.UpdateUser(t.Context(), admin, u.ID, UserPatch{CustomDailyBotLimit: &nine}); err != nil {
				t.Fatal(err)
			}
			for {
				l, err := b.svc.Limits(t.Context(), u)
				if err != nil {
					t.Fatal(err)
				}
				if dailyOf(l) == "9" {
					break
				}
				if time.Since(changed) > KeyCacheTTL+time.Second {
					t.Fatalf("daily %s %v after a change through another daemon, want 9", dailyOf(l), time.Since(changed))
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// TestLimits_OutageIsNotKept: limits the store could not read are an
// error each time, and the first read after the outage is the store's.
func TestLimits_OutageIsNotKept(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			st, outage := storetest.OpenWithOutage(t, engine)
			b := setupCache(t, st)
			outage.Down()
			for range 2 {
				if _, err := b.svc.Limits(t.Context(), b.caller.User); err == nil {
					t.Fatal("limits answered while the database was down")
				}
			}
			outage.Up()
			l, err := b.svc.Limits(t.Context(), b.caller.User)
			if err != nil {
				t.Fatalf("after the outage: %+v, %v", l, err)
			}
			if n := b.st.limitReads.Load(); n != 3 {
				t.Fatalf("%d reads of the limits, want 3: nothing kept of the failures", n)
			}
		})
	}
}
