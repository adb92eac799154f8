package account

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// limitsStore counts the reads of a user's limits that reach the store.
type limitsStore struct {
	store.Store
	reads atomic.Int64
}

func (s *limitsStore) UserLimits(ctx context.Context, userID int64, now time.Time) (store.Limits, error) {
	s.reads.Add(1)
	return s.Store.UserLimits(ctx, userID, now)
}

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
			st := &limitsStore{Store: open(t)}
			svc := New(slog.New(slog.DiscardHandler), st, time.Now)
			u, err := st.CreateUser(t.Context(), store.NewUser{Email: "limits@example.test", Name: "L", Role: store.RoleMember, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			for range 10 {
				if _, err := svc.Limits(t.Context(), u); err != nil {
					t.Fatal(err)
				}
			}
			if n := st.reads.Load(); n != 1 {
				t.Fatalf("%d reads of the limits, want 1", n)
			}
			seven := 7
			if _, err := svc.UpdateUser(t.Context(), admin, u.ID, UserPatch{CustomDailyBotLimit: &seven}); err != nil {
				t.Fatal(err)
			}
			l, err := svc.Limits(t.Context(), u)
			if err != nil || dailyOf(l) != "7" {
				t.Fatalf("after a change here: daily %s, %v; want 7 at once", dailyOf(l), err)
			}
			other := New(slog.New(slog.DiscardHandler), st.Store, time.Now)
			nine := 9
			changed := time.Now()
			if _, err := other.UpdateUser(t.Context(), admin, u.ID, UserPatch{CustomDailyBotLimit: &nine}); err != nil {
				t.Fatal(err)
			}
			for {
				l, err := svc.Limits(t.Context(), u)
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
