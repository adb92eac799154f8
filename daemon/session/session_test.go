package session_test

import (
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// clock is a settable time for the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type bundle struct {
	store  store.Store
	clock  *clock
	svc    *session.Service
	acct   *account.Service
	caller domain.Caller
	key    string
}

func setup(tb testing.TB, open func(testing.TB) store.Store) *bundle {
	tb.Helper()
	st := open(tb)
	c := &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	acct := account.New(slog.New(slog.DiscardHandler), st, c.now)
	u, err := st.CreateUser(tb.Context(), store.NewUser{Email: "a@example.test", Role: store.RoleMember, Now: c.now()})
	if err != nil {
		tb.Fatal(err)
	}
	k, err := acct.IssueKey(tb.Context(), u.ID, "k", 30)
	if err != nil {
		tb.Fatal(err)
	}
	caller, err := acct.Authenticate(tb.Context(), k.Secret)
	if err != nil {
		tb.Fatal(err)
	}
	svc := session.New(session.Config{Idle: time.Hour, MaxAge: 24 * time.Hour, LinkTTL: time.Minute}, st, c.now, acct)
	return &bundle{store: st, clock: c, svc: svc, acct: acct, caller: caller, key: k.Secret}
}

func each(t *testing.T, fn func(t *testing.T, b *bundle)) {
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, open))
		})
	}
}

func want(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLinkSignsInOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b *bundle) {
		l, err := b.svc.NewLink(t.Context(), b.caller)
		ok(t, err)
		if l.ExpiresAt != b.clock.now().Add(time.Minute) {
			t.Fatalf("link expires %v", l.ExpiresAt)
		}
		st, err := b.svc.Redeem(t.Context(), l.Secret)
		ok(t, err)
		a, err := b.svc.Authenticate(t.Context(), st.Secret)
		ok(t, err)
		if a.Caller.User.ID != b.caller.User.ID || a.Caller.Key.ID != b.caller.Key.ID {
			t.Fatalf("session acts as %+v", a.Caller)
		}
		_, err = b.svc.Redeem(t.Context(), l.Secret)
		want(t, err, session.ErrBadLink)
		late, err := b.svc.NewLink(t.Context(), b.caller)
		ok(t, err)
		b.clock.advance(time.Minute)
		_, err = b.svc.Redeem(t.Context(), late.Secret)
		want(t, err, session.ErrBadLink)
		for _, bad := range []string{"", "mbl_short", st.Secret, "mbl_" + string(make([]byte, 43))} {
			_, err = b.svc.Redeem(t.Context(), bad)
			want(t, err, session.ErrBadLink)
		}
	})
}

func TestSignInWithKey(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b *bundle) {
		_, err := b.svc.SignIn(t.Context(), "mbk_nope")
		want(t, err, account.ErrBadKey)
		st, err := b.svc.SignIn(t.Context(), b.key)
		ok(t, err)
		if st.Session.ExpiresAt != b.clock.now().Add(24*time.Hour) {
			t.Fatalf("expires %v", st.Session.ExpiresAt)
		}
		a, err := b.svc.Authenticate(t.Context(), st.Secret)
		ok(t, err)
		if a.CSRF != session.CSRFToken(st.Secret) || a.CSRF == "" {
			t.Fatalf("csrf %q", a.CSRF)
		}
		other, err := b.svc.SignIn(t.Context(), b.key)
		ok(t, err)
		if session.CSRFToken(other.Secret) == a.CSRF {
			t.Fatal("two sessions share a CSRF token")
		}
		ok(t, b.svc.SignOut(t.Context(), st.Secret))
		_, err = b.svc.Authenticate(t.Context(), st.Secret)
		want(t, err, session.ErrNoSession)
		ok(t, b.svc.SignOut(t.Context(), st.Secret))
		_, err = b.svc.Authenticate(t.Context(), other.Secret)
		ok(t, err)
	})
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b *bundle) {
		st, err := b.svc.SignIn(t.Context(), b.key)
		ok(t, err)
		// Used every 50 minutes, the session outlives its idle hour...
		for range 24 {
			b.clock.advance(50 * time.Minute)
			_, err = b.svc.Authenticate(t.Context(), st.Secret)
			ok(t, err)
		}
		// ...but not its absolute day.
		b.clock.advance(5 * time.Hour)
		_, err = b.svc.Check(t.Context(), st.Secret)
		want(t, err, session.ErrNoSession)

		idle, err := b.svc.SignIn(t.Context(), b.key)
		ok(t, err)
		b.clock.advance(50 * time.Minute)
		_, err = b.svc.Check(t.Context(), idle.Secret) // a check is not a use
		ok(t, err)
		b.clock.advance(11 * time.Minute)
		_, err = b.svc.Authenticate(t.Context(), idle.Secret)
		want(t, err, session.ErrNoSession)
	})
}

func TestRevokedKeyEndsSessions(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, b *bundle) {
		st, err := b.svc.SignIn(t.Context(), b.key)
		ok(t, err)
		link, err := b.svc.NewLink(t.Context(), b.caller)
		ok(t, err)
		_, err = b.acct.RevokeKey(t.Context(), b.caller, b.caller.Key.ID)
		ok(t, err)
		_, err = b.svc.Authenticate(t.Context(), st.Secret)
		want(t, err, session.ErrNoSession)
		_, err = b.svc.Redeem(t.Context(), link.Secret)
		want(t, err, session.ErrBadLink)
	})
}

func TestOutageIsNotSignOut(t *testing.T) {
	t.Parallel()
	for name := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st, outage := storetest.OpenWithOutage(t, name)
			b := setup(t, func(testing.TB) store.Store { return st })
			s, err := b.svc.SignIn(t.Context(), b.key)
			ok(t, err)
			link, err := b.svc.NewLink(t.Context(), b.caller)
			ok(t, err)
			outage.Down()
			_, err = b.svc.Authenticate(t.Context(), s.Secret)
			want(t, err, store.ErrUnavailable)
			_, err = b.svc.Redeem(t.Context(), link.Secret)
			want(t, err, store.ErrUnavailable)
			outage.Up()
			_, err = b.svc.Authenticate(t.Context(), s.Secret)
			ok(t, err)
			_, err = b.svc.Redeem(t.Context(), link.Secret)
			ok(t, err)
		})
	}
}

// BenchmarkAuthenticate is the session check of every console request:
// one indexed read joining the session to its key, and the key's user.
func BenchmarkAuthenticate(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			bd := setup(b, open)
			st, err := bd.svc.SignIn(b.Context(), bd.key)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bd.svc.Authenticate(b.Context(), st.Secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
