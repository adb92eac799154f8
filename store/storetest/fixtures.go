package storetest

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// t0 is the tests' clock: a fixed instant with microseconds, so a lost
// fraction or a shifted zone shows.
var t0 = time.Date(2030, 5, 6, 7, 8, 9, 123456000, time.UTC)

var seq atomic.Int64

// mkUser creates a member with a unique email.
func mkUser(t *testing.T, s store.Store) store.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), store.NewUser{
		Email: fmt.Sprintf("u%d@example.test", seq.Add(1)), Name: "User", Role: store.RoleMember, Now: t0,
	})
	ok(t, err)
	return u
}

// mkBot creates a SCHEDULED bot for the user, changed by the options.
func mkBot(t *testing.T, s store.Store, userID int64, opts ...func(*store.Bot)) store.Bot {
	t.Helper()
	b := store.Bot{
		UserID: userID, DisplayName: "Bot", Status: api.StatusScheduled,
		Meeting: store.Meeting{URL: "https://meet.example/abc", Platform: "google-meet"},
	}
	for _, o := range opts {
		o(&b)
	}
	out, err := s.CreateBot(t.Context(), store.NewBot{Bot: b, Now: t0})
	ok(t, err)
	return out
}

// mkBots creates n bots.
func mkBots(t *testing.T, s store.Store, userID int64, n int, opts ...func(*store.Bot)) []store.Bot {
	t.Helper()
	out := make([]store.Bot, n)
	for i := range out {
		out[i] = mkBot(t, s, userID, opts...)
	}
	return out
}

// move transitions a bot, failing the test on error.
func move(t *testing.T, s store.Store, id int64, to api.BotStatus) store.Bot {
	t.Helper()
	p := store.TransitionParams{BotID: id, To: to, Now: t0}
	if to.Terminal() {
		p.Reason = api.ReasonCompleted
	}
	b, err := s.Transition(t.Context(), p)
	ok(t, err)
	return b
}

// deployOn admits a bot onto a platform with ample room.
func deployOn(t *testing.T, s store.Store, id int64, platform string) store.Bot {
	t.Helper()
	res, err := s.Admit(t.Context(), store.AdmitParams{BotID: id, Platforms: []store.PlatformLimit{{Name: platform, Limit: 1000}}, Now: t0})
	ok(t, err)
	return res.Bot
}

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func eqTime(t testing.TB, what string, got *time.Time, want time.Time) {
	t.Helper()
	if got == nil || !got.Equal(want) || got.Location() != time.UTC {
		t.Fatalf("%s = %v, want %v (UTC)", what, got, want)
	}
}

func ptr[T any](v T) *T { return &v }
