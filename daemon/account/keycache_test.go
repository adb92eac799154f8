package account

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// countingStore counts the key reads that reach the store, and can hold
// one after it has read, as a request whose read raced a revocation; it
// counts the reads of a user's limits too.
type countingStore struct {
	store.Store
	reads      atomic.Int64
	limitReads atomic.Int64
	hold       chan chan struct{} // when set, each read hands over a release
}

func (s *countingStore) UserLimits(ctx context.Context, userID int64, now time.Time) (store.Limits, error) {
	s.limitReads.Add(1)
	return s.Store.UserLimits(ctx, userID, now)
}

func (s *countingStore) Authenticate(ctx context.Context, hash string, now time.Time) (store.APIKey, store.User, error) {
	s.reads.Add(1)
	k, u, err := s.Store.Authenticate(ctx, hash, now)
	if s.hold != nil {
		release := make(chan struct{})
		s.hold <- release
		<-release
	}
	return k, u, err
}

type cacheBundle struct {
	st     *countingStore
	svc    *Service
	caller domain.Caller
	secret string
	clock  *atomic.Pointer[time.Time]
}

func setupCache(t *testing.T, st store.Store) cacheBundle {
	t.Helper()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := &atomic.Pointer[time.Time]{}
	clock.Store(&now)
	cs := &countingStore{Store: st}
	svc := New(slog.New(slog.DiscardHandler), cs, func() time.Time { return *clock.Load() })
	u, err := st.CreateUser(t.Context(), store.NewUser{Email: "cache@example.test", Name: "C", Role: store.RoleMember, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	k, err := svc.IssueKey(t.Context(), u.ID, "k", 1)
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Authenticate(t.Context(), k.Secret)
	if err != nil {
		t.Fatal(err)
	}
	return cacheBundle{st: cs, svc: svc, caller: c, secret: k.Secret, clock: clock}
}

func wantBadKey(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrBadKey) {
		t.Fatalf("err = %v, want ErrBadKey", err)
	}
}

func TestAuthenticate_Cache(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Run("Hit", func(t *testing.T) {
				t.Parallel()
				b := setupCache(t, open(t))
				for range 10 {
					c, err := b.svc.Authenticate(t.Context(), b.secret)
					if err != nil || c.Key.ID != b.caller.Key.ID || c.User.ID != b.caller.User.ID {
						t.Fatalf("caller %+v, %v", c, err)
					}
				}
				if n := b.st.reads.Load(); n != 1 {
					t.Fatalf("%d reads of the key, want 1", n)
				}
			})
			t.Run("RevokeHereAtOnce", func(t *testing.T) {
				t.Parallel()
				b := setupCache(t, open(t))
				if _, err := b.svc.RevokeKey(t.Context(), b.caller, b.caller.Key.ID); err != nil {
					t.Fatal(err)
				}
				_, err := b.svc.Authenticate(t.Context(), b.secret)
				wantBadKey(t, err)
			})
			t.Run("ResetKeysAtOnce", func(t *testing.T) {
				t.Parallel()
				b := setupCache(t, open(t))
				admin := domain.Caller{User: store.User{ID: -1, Role: store.RoleAdmin}}
				if _, err := b.svc.ResetKeys(t.Context(), admin, b.caller.User.ID); err != nil {
					t.Fatal(err)
				}
				_, err := b.svc.Authenticate(t.Context(), b.secret)
				wantBadKey(t, err)
			})
			t.Run("ExpiryOnTheServiceClock", func(t *testing.T) {
				t.Parallel()
				b := setupCache(t, open(t))
				later := b.clock.Load().Add(25 * time.Hour) // the key was issued for a day
				b.clock.Store(&later)
				_, err := b.svc.Authenticate(t.Context(), b.secret)
				wantBadKey(t, err)
			})
			t.Run("RevokedElsewhereWithinTTL", func(t *testing.T) {
				t.Parallel()
				st := open(t)
				b := setupCache(t, st)
				b.svc.keys.ttl = 200 * time.Millisecond
				b.svc.keys.forgetUser(b.caller.User.ID)
				if _, err := b.svc.Authenticate(t.Context(), b.secret); err != nil {
					t.Fatal(err)
				}
				// Another daemon on the same database revokes the key.
				other := New(slog.New(slog.DiscardHandler), st, b.svc.now)
				revoked := time.Now()
				if _, err := other.RevokeKey(t.Context(), b.caller, b.caller.Key.ID); err != nil {
					t.Fatal(err)
				}
				for {
					_, err := b.svc.Authenticate(t.Context(), b.secret)
					if errors.Is(err, ErrBadKey) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					if time.Since(revoked) > 200*time.Millisecond+time.Second {
						t.Fatalf("the key still authenticates %v after it was revoked elsewhere", time.Since(revoked))
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
			t.Run("ReadRacingARevocationIsNotKept", func(t *testing.T) {
				t.Parallel()
				b := setupCache(t, open(t))
				b.svc.keys.forgetUser(b.caller.User.ID)
				b.st.hold = make(chan chan struct{})
				done := make(chan error, 1)
				go func() {
					_, err := b.svc.Authenticate(context.Background(), b.secret)
					done <- err
				}()
				release := <-b.st.hold // the read saw the key live
				b.st.hold = nil
				if _, err := b.svc.RevokeKey(t.Context(), b.caller, b.caller.Key.ID); err != nil {
					t.Fatal(err)
				}
				close(release)
				if err := <-done; err != nil {
					t.Fatal(err) // it began before the revocation: it may pass
				}
				_, err := b.svc.Authenticate(t.Context(), b.secret)
				wantBadKey(t, err)
			})
		})
	}
}

// TestAuthenticate_OutageIsUnavailable: a key the daemon does not hold is
// store.ErrUnavailable while the database is down, never ErrBadKey, and
// the failure is not remembered.
func TestAuthenticate_OutageIsUnavailable(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			st, outage := storetest.OpenWithOutage(t, engine)
			b := setupCache(t, st)
			b.svc.keys.forgetUser(b.caller.User.ID)
			outage.Down()
			_, err := b.svc.Authenticate(t.Context(), b.secret)
			if !errors.Is(err, store.ErrUnavailable) || errors.Is(err, ErrBadKey) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
			outage.Up()
			if _, err := b.svc.Authenticate(t.Context(), b.secret); err != nil {
				t.Fatalf("after the outage: %v", err)
			}
		})
	}
}
