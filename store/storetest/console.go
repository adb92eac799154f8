package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

func mkLink(t *testing.T, s store.Store, keyID int64, hash string, ttl time.Duration) {
	t.Helper()
	ok(t, s.CreateConsoleLink(t.Context(), store.NewConsoleLink{APIKeyID: keyID, Hash: hash, ExpiresAt: t0.Add(ttl), Now: t0}))
}

func redeem(s store.Store, t *testing.T, link, session string, at time.Time) (store.ConsoleSession, error) {
	return s.RedeemConsoleLink(t.Context(), store.RedeemConsoleLink{LinkHash: link, SessionHash: session, ExpiresAt: at.Add(time.Hour), Now: at})
}

func live(s store.Store, t *testing.T, hash string, at, idleSince time.Time) error {
	_, _, _, err := s.LiveConsoleSession(t.Context(), store.ConsoleSessionQuery{Hash: hash, Now: at, IdleSince: idleSince})
	return err
}

var consoleTests = []namedTest{
	{"RedeemOnce", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		mkLink(t, s, k.ID, "link1", time.Minute)
		cs, err := redeem(s, t, "link1", "sess1", t0.Add(time.Second))
		ok(t, err)
		eq(t, "key", cs.APIKeyID, k.ID)
		eqTime(t, "expires", &cs.ExpiresAt, t0.Add(time.Second+time.Hour))
		_, err = redeem(s, t, "link1", "sess2", t0.Add(2*time.Second))
		wantErr(t, err, store.ErrNotFound)
		_, err = redeem(s, t, "nope", "sess3", t0)
		wantErr(t, err, store.ErrNotFound)
		gotS, gotK, gotU, err := s.LiveConsoleSession(t.Context(), store.ConsoleSessionQuery{Hash: "sess1", Now: t0.Add(time.Minute), IdleSince: t0})
		ok(t, err)
		eq(t, "session", gotS.ID, cs.ID)
		eq(t, "key", gotK.ID, k.ID)
		eq(t, "user", gotU.ID, u.ID)
		wantErr(t, live(s, t, "sess2", t0.Add(time.Minute), t0), store.ErrNotFound)
	}},
	{"RedeemRefused", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		mkLink(t, s, k.ID, "expired", time.Minute)
		_, err := redeem(s, t, "expired", "s1", t0.Add(time.Minute))
		wantErr(t, err, store.ErrNotFound)
		mkLink(t, s, k.ID, "revoked", time.Hour)
		_, err = s.RevokeAPIKey(t.Context(), u.ID, k.ID, t0)
		ok(t, err)
		_, err = redeem(s, t, "revoked", "s2", t0.Add(time.Second))
		wantErr(t, err, store.ErrNotFound)
		expiring := mkKey(t, s, u.ID, "bb22", ptr(t0.Add(time.Second)))
		mkLink(t, s, expiring.ID, "keyexpired", time.Hour)
		_, err = redeem(s, t, "keyexpired", "s3", t0.Add(2*time.Second))
		wantErr(t, err, store.ErrNotFound)
		err = s.CreateConsoleLink(t.Context(), store.NewConsoleLink{APIKeyID: k.ID + 100, Hash: "orphan", ExpiresAt: t0.Add(time.Hour), Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"RedeemRace", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		mkLink(t, s, k.ID, "link", time.Minute)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() { _, errs[i] = redeem(s, t, "link", fmt.Sprintf("sess%d", i), t0.Add(time.Second)) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			wantErr(t, err, store.ErrNotFound)
		}
		eq(t, "redeemed", won, 1)
	}},
	{"SessionExpiry", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		cs, err := s.CreateConsoleSession(t.Context(), store.NewConsoleSession{APIKeyID: k.ID, Hash: "sess", ExpiresAt: t0.Add(24 * time.Hour), Now: t0})
		ok(t, err)
		eqTime(t, "seen", &cs.LastSeenAt, t0)
		ok(t, live(s, t, "sess", t0.Add(time.Hour), t0.Add(-time.Hour)))
		wantErr(t, live(s, t, "sess", t0.Add(time.Hour), t0), store.ErrNotFound) // idle since t0
		wantErr(t, live(s, t, "sess", t0.Add(24*time.Hour), t0.Add(-time.Hour)), store.ErrNotFound)
		ok(t, s.TouchConsoleSession(t.Context(), cs.ID, t0.Add(2*time.Hour), t0.Add(time.Hour)))
		ok(t, s.TouchConsoleSession(t.Context(), cs.ID, t0.Add(3*time.Hour), t0.Add(time.Hour))) // seen since: no write
		got, _, _, err := s.LiveConsoleSession(t.Context(), store.ConsoleSessionQuery{Hash: "sess", Now: t0.Add(4 * time.Hour), IdleSince: t0.Add(time.Hour)})
		ok(t, err)
		eqTime(t, "seen", &got.LastSeenAt, t0.Add(2*time.Hour))
		_, err = s.CreateConsoleSession(t.Context(), store.NewConsoleSession{APIKeyID: k.ID, Hash: "sess", ExpiresAt: t0.Add(time.Hour), Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"SessionEndsWithKey", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		other := mkKey(t, s, u.ID, "bb22", nil)
		for hash, key := range map[string]int64{"s1": k.ID, "s2": other.ID} {
			_, err := s.CreateConsoleSession(t.Context(), store.NewConsoleSession{APIKeyID: key, Hash: hash, ExpiresAt: t0.Add(time.Hour), Now: t0})
			ok(t, err)
		}
		_, err := s.RevokeAPIKey(t.Context(), u.ID, k.ID, t0)
		ok(t, err)
		wantErr(t, live(s, t, "s1", t0.Add(time.Second), t0.Add(-time.Hour)), store.ErrNotFound)
		ok(t, live(s, t, "s2", t0.Add(time.Second), t0.Add(-time.Hour)))
		ok(t, s.DeleteConsoleSession(t.Context(), "s2"))
		ok(t, s.DeleteConsoleSession(t.Context(), "s2"))
		wantErr(t, live(s, t, "s2", t0.Add(time.Second), t0.Add(-time.Hour)), store.ErrNotFound)
	}},
	{"Purge", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		mkLink(t, s, k.ID, "old", time.Minute)
		mkLink(t, s, k.ID, "new", 48*time.Hour)
		for hash, ttl := range map[string]time.Duration{"old": time.Hour, "new": 48 * time.Hour} {
			_, err := s.CreateConsoleSession(t.Context(), store.NewConsoleSession{APIKeyID: k.ID, Hash: hash, ExpiresAt: t0.Add(ttl), Now: t0})
			ok(t, err)
		}
		n, err := s.PurgeOlderThan(t.Context(), t0.Add(24*time.Hour))
		ok(t, err)
		eq(t, "purged", n, int64(2))
		ok(t, live(s, t, "new", t0.Add(time.Second), t0.Add(-time.Hour)))
		_, err = redeem(s, t, "new", "fresh", t0.Add(time.Second))
		ok(t, err)
	}},
}
