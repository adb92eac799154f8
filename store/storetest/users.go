package storetest

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

var usersTests = []namedTest{
	{"CreateGet", func(t *testing.T, s store.Store) {
		u, err := s.CreateUser(t.Context(), store.NewUser{Email: "a@example.test", Name: "A", Role: store.RoleAdmin, Now: t0})
		ok(t, err)
		got, err := s.GetUser(t.Context(), u.ID)
		ok(t, err)
		eq(t, "email", got.Email, "a@example.test")
		eq(t, "role", got.Role, store.RoleAdmin)
		eqTime(t, "created", &got.CreatedAt, t0)
		_, err = s.CreateUser(t.Context(), store.NewUser{Email: "a@example.test", Now: t0})
		wantErr(t, err, store.ErrConflict)
		_, err = s.GetUser(t.Context(), u.ID+100)
		wantErr(t, err, store.ErrNotFound)
	}},
	{"DefaultRole", func(t *testing.T, s store.Store) {
		u, err := s.CreateUser(t.Context(), store.NewUser{Email: "m@example.test", Now: t0})
		ok(t, err)
		eq(t, "role", u.Role, store.RoleMember)
		_, err = s.CreateUser(t.Context(), store.NewUser{Email: "x@example.test", Role: "root", Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"ListCount", func(t *testing.T, s store.Store) {
		for range 5 {
			mkUser(t, s)
		}
		n, err := s.CountUsers(t.Context())
		ok(t, err)
		eq(t, "count", n, 5)
		page, err := s.ListUsers(t.Context(), store.Page{Limit: 2})
		ok(t, err)
		eq(t, "page", len(page), 2)
		rest, err := s.ListUsers(t.Context(), store.Page{AfterID: page[1].ID})
		ok(t, err)
		eq(t, "rest", len(rest), 3)
		if rest[0].ID <= page[1].ID {
			t.Fatalf("not ascending: %d after %d", rest[0].ID, page[1].ID)
		}
	}},
	{"CustomDailyLimit", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		ok(t, s.SetCustomDailyLimit(t.Context(), u.ID, ptr(7)))
		got, err := s.GetUser(t.Context(), u.ID)
		ok(t, err)
		if got.CustomDailyBotLimit == nil || *got.CustomDailyBotLimit != 7 {
			t.Fatalf("limit = %v", got.CustomDailyBotLimit)
		}
		ok(t, s.SetCustomDailyLimit(t.Context(), u.ID, nil))
		got, _ = s.GetUser(t.Context(), u.ID)
		if got.CustomDailyBotLimit != nil {
			t.Fatalf("limit not cleared")
		}
		wantErr(t, s.SetCustomDailyLimit(t.Context(), u.ID+100, nil), store.ErrNotFound)
	}},
	{"ActiveSubscription", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		_, err := s.ActiveSubscription(t.Context(), u.ID, t0)
		wantErr(t, err, store.ErrNotFound)
		sub := func(plan string, active bool, start time.Time, end *time.Time) {
			_, err := s.CreateSubscription(t.Context(), store.Subscription{UserID: u.ID, Plan: plan, DailyLimit: ptr(20),
				Active: active, StartsAt: start, EndsAt: end})
			ok(t, err)
		}
		sub(store.PlanPro, true, t0.Add(-48*time.Hour), ptr(t0.Add(-time.Hour))) // ended
		sub(store.PlanCustom, false, t0.Add(-time.Hour), nil)                    // inactive
		sub(store.PlanPayAsYouGo, true, t0.Add(-3*time.Hour), nil)
		sub(store.PlanPro, true, t0.Add(time.Hour), nil) // not started
		got, err := s.ActiveSubscription(t.Context(), u.ID, t0)
		ok(t, err)
		eq(t, "plan", got.Plan, store.PlanPayAsYouGo)
		if got.DailyLimit == nil || *got.DailyLimit != 20 {
			t.Fatalf("daily limit = %v", got.DailyLimit)
		}
		_, err = s.CreateSubscription(t.Context(), store.Subscription{UserID: u.ID, Plan: "GOLD", StartsAt: t0})
		wantErr(t, err, store.ErrConflict)
		// The limits come from the same subscription, with its own daily
		// limit, until the user has a plan of its own.
		l, err := s.UserLimits(t.Context(), u.ID, t0)
		ok(t, err)
		eq(t, "limits' plan", l.Plan, store.PlanPayAsYouGo)
		if l.DailyBots == nil || *l.DailyBots != 20 {
			t.Fatalf("subscription's daily limit = %v", l.DailyBots)
		}
		ok(t, s.SetUserPlan(t.Context(), u.ID, ptr(store.PlanPro)))
		l, err = s.UserLimits(t.Context(), u.ID, t0)
		ok(t, err)
		eq(t, "own plan", l.Plan, store.PlanPro)
		eq(t, "own plan's daily limit", *l.DailyBots, 200)
		_, err = s.UserLimits(t.Context(), u.ID+1000, t0)
		wantErr(t, err, store.ErrNotFound)
	}},
}
