package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

func mkKey(t *testing.T, s store.Store, userID int64, hash string, expires *time.Time) store.APIKey {
	t.Helper()
	k, err := s.CreateAPIKey(t.Context(), store.NewAPIKey{UserID: userID, Name: "k", Prefix: "mb_" + hash[:2], Hash: hash, ExpiresAt: expires, Now: t0})
	ok(t, err)
	return k
}

var keysTests = []namedTest{
	{"KeyLive", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		exp := t0.Add(time.Hour)
		k, err := s.CreateAPIKey(t.Context(), store.NewAPIKey{UserID: u.ID, Name: "k", Prefix: "mbk_x", Hash: "live-hash", ExpiresAt: &exp, Now: t0})
		ok(t, err)
		ok(t, s.KeyLive(t.Context(), k.ID, t0))
		wantErr(t, s.KeyLive(t.Context(), k.ID, t0.Add(2*time.Hour)), store.ErrNotFound)
		_, err = s.RevokeAPIKey(t.Context(), u.ID, k.ID, t0)
		ok(t, err)
		wantErr(t, s.KeyLive(t.Context(), k.ID, t0), store.ErrNotFound)
		wantErr(t, s.KeyLive(t.Context(), k.ID+100, t0), store.ErrNotFound)
	}},
	{"Authenticate", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		mkKey(t, s, u.ID, "bb22", ptr(t0.Add(-time.Second)))
		gotK, gotU, err := s.Authenticate(t.Context(), "aa11", t0)
		ok(t, err)
		eq(t, "key", gotK.ID, k.ID)
		eq(t, "user", gotU.ID, u.ID)
		eq(t, "user's email", gotU.Email, u.Email)
		eq(t, "user's role", gotU.Role, u.Role)
		eq(t, "user's limit", gotU.CustomDailyBotLimit == nil, u.CustomDailyBotLimit == nil)
		eq(t, "prefix", gotK.Prefix, "mb_aa")
		_, _, err = s.Authenticate(t.Context(), "bb22", t0)
		wantErr(t, err, store.ErrNotFound)
		_, _, err = s.Authenticate(t.Context(), "nope", t0)
		wantErr(t, err, store.ErrNotFound)
		_, err = s.CreateAPIKey(t.Context(), store.NewAPIKey{UserID: u.ID, Hash: "aa11", Now: t0})
		wantErr(t, err, store.ErrConflict)
		_, err = s.CreateAPIKey(t.Context(), store.NewAPIKey{UserID: u.ID + 100, Hash: "cc33", Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"Revoke", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		k := mkKey(t, s, u.ID, "aa11", nil)
		mkKey(t, s, u.ID, "bb22", nil)
		_, err := s.RevokeAPIKey(t.Context(), other.ID, k.ID, t0)
		wantErr(t, err, store.ErrNotFound)
		r, err := s.RevokeAPIKey(t.Context(), u.ID, k.ID, t0)
		ok(t, err)
		eqTime(t, "revoked", r.RevokedAt, t0)
		r, err = s.RevokeAPIKey(t.Context(), u.ID, k.ID, t0.Add(time.Hour))
		ok(t, err)
		eqTime(t, "revoked again", r.RevokedAt, t0)
		_, _, err = s.Authenticate(t.Context(), "aa11", t0)
		wantErr(t, err, store.ErrNotFound)
		n, err := s.RevokeUserKeys(t.Context(), u.ID, t0)
		ok(t, err)
		eq(t, "revoked", n, 1)
	}},
	{"ListAndTouch", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		k1 := mkKey(t, s, u.ID, "aa11", nil)
		k2 := mkKey(t, s, u.ID, "bb22", nil)
		mkKey(t, s, other.ID, "cc33", nil)
		ok(t, s.TouchAPIKeys(t.Context(), map[int64]time.Time{k1.ID: t0, k2.ID: t0.Add(time.Minute)}))
		ok(t, s.TouchAPIKeys(t.Context(), map[int64]time.Time{k1.ID: t0.Add(-time.Hour)})) // older: ignored
		keys, err := s.ListAPIKeys(t.Context(), u.ID, store.Page{})
		ok(t, err)
		eq(t, "keys", len(keys), 2)
		eq(t, "newest first", keys[0].ID, k2.ID)
		eqTime(t, "k2 used", keys[0].LastUsedAt, t0.Add(time.Minute))
		eqTime(t, "k1 used", keys[1].LastUsedAt, t0)
		older, err := s.ListAPIKeys(t.Context(), u.ID, store.Page{BeforeID: k2.ID})
		ok(t, err)
		eq(t, "older", len(older), 1)
	}},
	{"RequestLogs", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		k1, k2 := mkKey(t, s, u.ID, "aa11", nil), mkKey(t, s, u.ID, "bb22", nil)
		var logs []store.APIRequestLog
		for i := range 250 {
			k := k1.ID
			if i%2 == 1 {
				k = k2.ID
			}
			logs = append(logs, store.APIRequestLog{APIKeyID: k, UserID: u.ID, Method: "GET", Path: "/v1/bots",
				Status: 200, DurationMS: int64(i), IP: "10.0.0.1", CreatedAt: t0.Add(time.Duration(i) * time.Second)})
		}
		ok(t, s.InsertRequestLogs(t.Context(), logs))
		page, err := s.ListRequestLogs(t.Context(), u.ID, nil, store.Page{Limit: 10})
		ok(t, err)
		eq(t, "page", len(page), 10)
		eq(t, "newest", page[0].DurationMS, int64(249))
		byKey, err := s.ListRequestLogs(t.Context(), u.ID, &k1.ID, store.Page{Limit: 500})
		ok(t, err)
		eq(t, "by key", len(byKey), 125)
		none, err := s.ListRequestLogs(t.Context(), other.ID, nil, store.Page{})
		ok(t, err)
		eq(t, "other's", len(none), 0)
		n, err := s.PurgeOlderThan(t.Context(), t0.Add(100*time.Second))
		ok(t, err)
		eq(t, "purged", n, int64(100))
	}},
	{"Idempotency", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		claim := store.IdempotencyClaim{UserID: u.ID, Key: "k1", RequestHash: "h", Token: "a", Now: t0, NotBefore: t0.Add(-24 * time.Hour), LeaseFor: time.Minute}
		st, err := s.ClaimIdempotencyKey(t.Context(), claim)
		ok(t, err)
		eq(t, "first claims", st.Claimed, true)
		second := claim
		second.Token, second.Now = "b", t0.Add(time.Second)
		st, err = s.ClaimIdempotencyKey(t.Context(), second)
		ok(t, err)
		eq(t, "second waits", st.InProgress, true)
		eq(t, "holder's hash", st.RequestHash, "h")
		ok(t, s.CompleteIdempotencyKey(t.Context(), store.IdempotentResponse{UserID: u.ID, Key: "k1", Status: 201, Body: []byte(`{"id":1}`)}, "b")) // not b's claim
		st, err = s.ClaimIdempotencyKey(t.Context(), second)
		ok(t, err)
		eq(t, "still in progress", st.InProgress, true)
		ok(t, s.CompleteIdempotencyKey(t.Context(), store.IdempotentResponse{UserID: u.ID, Key: "k1", Status: 201, Body: []byte(`{"id":1}`)}, "a"))
		st, err = s.ClaimIdempotencyKey(t.Context(), second)
		ok(t, err)
		if st.Claimed || st.InProgress || st.Response == nil || st.Response.Status != 201 || !bytes.Equal(st.Response.Body, []byte(`{"id":1}`)) {
			t.Fatalf("after completion: %+v", st)
		}
		eqTime(t, "created", &st.Response.CreatedAt, t0)
		later := claim
		later.Token, later.Now, later.NotBefore = "c", t0.Add(25*time.Hour), t0.Add(time.Hour)
		st, err = s.ClaimIdempotencyKey(t.Context(), later)
		ok(t, err)
		eq(t, "claimed after the window", st.Claimed, true)
		n, err := s.PurgeOlderThan(t.Context(), t0.Add(26*time.Hour))
		ok(t, err)
		eq(t, "purged", n, int64(1))
	}},
	{"IdempotencyCrashedClaim", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		claim := store.IdempotencyClaim{UserID: u.ID, Key: "k", RequestHash: "h", Token: "dead", Now: t0, LeaseFor: time.Minute}
		_, err := s.ClaimIdempotencyKey(t.Context(), claim)
		ok(t, err)
		retry := claim
		retry.Token, retry.Now = "alive", t0.Add(2*time.Minute)
		st, err := s.ClaimIdempotencyKey(t.Context(), retry)
		ok(t, err)
		eq(t, "a dead claim is taken over", st.Claimed, true)
		ok(t, s.ReleaseIdempotencyKey(t.Context(), u.ID, "k", "alive"))
		st, err = s.ClaimIdempotencyKey(t.Context(), retry)
		ok(t, err)
		eq(t, "a released key is free", st.Claimed, true)
	}},
	{"IdempotencyRace", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		for trial := range 20 {
			var claimed atomic.Int32
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					st, err := s.ClaimIdempotencyKey(t.Context(), store.IdempotencyClaim{UserID: u.ID, Key: fmt.Sprint("race-", trial),
						RequestHash: "h", Token: fmt.Sprint(i), Now: t0, LeaseFor: time.Minute})
					if err != nil {
						t.Error(err)
					}
					if st.Claimed {
						claimed.Add(1)
					}
				})
			}
			wg.Wait()
			eq(t, "claims of one key", claimed.Load(), int32(1))
		}
	}},
}
