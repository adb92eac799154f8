package daemon_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPIUsers(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		admin, err := d.Admin.Users().Me(ctx)
		if err != nil || admin.Role != api.RoleAdmin {
			t.Fatalf("admin's me: %+v, %v", admin, err)
		}

		r := send(t, d, d.AdminKey, http.MethodPost, "/v1/users", `{"email":"ann@example.com","name":"Ann"}`)
		r.wantStatus(t, http.StatusCreated)
		var ann api.CreatedUser
		r.decode(t, &ann)
		if ann.User.ID == 0 || ann.User.Email != "ann@example.com" || ann.User.Name != "Ann" || ann.User.Role != api.RoleMember || ann.User.CustomDailyBotLimit != nil {
			t.Errorf("created user %+v", ann.User)
		}
		annClient := d.Client(t, ann.Key.Secret)
		me, err := annClient.Users().Me(ctx)
		if err != nil || me.ID != ann.User.ID || me.Email != "ann@example.com" {
			t.Fatalf("me with the first key: %+v, %v", me, err)
		}
		_, err = d.Admin.Users().Create(ctx, api.CreateUserRequest{Email: "ann@example.com"})
		wantError(t, err, http.StatusConflict, api.CodeConflict)
		bob, err := d.Admin.Users().Create(ctx, api.CreateUserRequest{Email: "bob@example.com", Role: api.RoleAdmin})
		if err != nil || bob.User.Role != api.RoleAdmin || bob.User.Name != "bob@example.com" {
			t.Fatalf("create an admin: %+v, %v", bob, err)
		}

		var ids []int64
		for cursor := ""; ; {
			page, err := d.Admin.Users().List(ctx, cursor, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range page.Items {
				ids = append(ids, u.ID)
			}
			if cursor = page.NextCursor; cursor == "" || len(ids) > 10 {
				break
			}
		}
		if len(ids) != 3 || ids[0] != admin.ID || ids[1] != ann.User.ID || ids[2] != bob.User.ID {
			t.Errorf("users in pages of 1: %v", ids)
		}

		nk, err := d.Admin.Users().ResetKeys(ctx, ann.User.ID)
		if err != nil || !strings.HasPrefix(nk.Secret, "mbk_") {
			t.Fatalf("reset keys: %+v, %v", nk, err)
		}
		_, err = annClient.Users().Me(ctx)
		wantError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
		if me, err := d.Client(t, nk.Secret).Users().Me(ctx); err != nil || me.ID != ann.User.ID {
			t.Fatalf("me with the reset key: %+v, %v", me, err)
		}
		_, err = d.Admin.Users().ResetKeys(ctx, missingID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)

		m, _ := member(t, d, "member@example.com")
		_, err = m.Users().List(ctx, "", 0)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = m.Users().Create(ctx, api.CreateUserRequest{Email: "eve@example.com"})
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = m.Users().ResetKeys(ctx, admin.ID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
		if _, err := d.Admin.Users().Me(ctx); err != nil {
			t.Fatalf("a member reset the admin's keys: %v", err)
		}
	})
}

func TestAPIPlanAndUsage(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		cu, err := d.Admin.Users().Create(ctx, api.CreateUserRequest{Email: "free@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		free := d.Client(t, cu.Key.Secret)
		p, err := free.Plan(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if p.Plan != "FREE" || p.DailyLimit == nil || *p.DailyLimit != 5 || p.UsedToday != 0 || p.Remaining == nil || *p.Remaining != 5 || p.TimeZone != "UTC" {
			t.Fatalf("free plan %+v", p)
		}
		scheduleBot(t, free, "one")
		scheduleBot(t, free, "two")
		p, err = free.Plan(ctx, "Asia/Tokyo")
		if err != nil {
			t.Fatal(err)
		}
		if p.UsedToday != 2 || *p.Remaining != 3 || p.TimeZone != "Asia/Tokyo" {
			t.Errorf("plan after two bots %+v", p)
		}
		resets, err := time.Parse(time.RFC3339, p.ResetsAt)
		if _, off := resets.Zone(); err != nil || off != 9*3600 || resets.UTC().Hour() != 0 || resets.Before(time.Now()) || resets.After(time.Now().Add(24*time.Hour)) {
			t.Errorf("plan resets at %q (%v), want the next UTC midnight in Tokyo time", p.ResetsAt, err)
		}
		if ap, err := d.Admin.Plan(ctx, ""); err != nil || ap.DailyLimit != nil || ap.Remaining != nil {
			t.Errorf("admin's plan %+v, %v, want no limit", ap, err)
		}

		loc, err := time.LoadLocation("America/Los_Angeles")
		if err != nil {
			t.Fatal(err)
		}
		today := time.Now().In(loc)
		u, err := free.Usage(ctx, today.AddDate(0, 0, -2), today, loc.String())
		if err != nil {
			t.Fatal(err)
		}
		if u.TimeZone != "America/Los_Angeles" || len(u.Days) != 3 {
			t.Fatalf("usage %+v, want 3 days in Los Angeles", u)
		}
		bots := 0
		for i, day := range u.Days {
			if want := today.AddDate(0, 0, i-2).Format("2006-01-02"); day.Date != want {
				t.Errorf("day %d is %s, want %s", i, day.Date, want)
			}
			bots += day.Bots
		}
		if bots != 2 || u.Days[2].Bots+u.Days[1].Bots != 2 {
			t.Errorf("usage counts %d bots over %+v, want 2 today", bots, u.Days)
		}
		week := send(t, d, cu.Key.Secret, http.MethodGet, "/v1/usage", "")
		week.wantStatus(t, http.StatusOK)
		var def api.Usage
		week.decode(t, &def)
		if def.TimeZone != "UTC" || len(def.Days) != 7 || def.Days[6].Date != time.Now().UTC().Format("2006-01-02") {
			t.Errorf("default usage %+v, want the last 7 UTC days", def)
		}
	})
}
