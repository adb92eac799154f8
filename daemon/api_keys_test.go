package daemon_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		c, first := member(t, d, "keys@example.com")

		r := send(t, d, first, http.MethodPost, "/v1/keys", `{"name":"ci","expiresInDays":30}`)
		r.wantStatus(t, http.StatusCreated)
		var k api.CreatedKey
		r.decode(t, &k)
		if !strings.HasPrefix(k.Secret, "mbk_") || len(k.Secret) < 40 || !strings.HasPrefix(k.Secret, k.Prefix) || k.Name != "ci" {
			t.Fatalf("created key %+v", k)
		}
		if k.ExpiresAt == nil || time.Until(*k.ExpiresAt) < 29*24*time.Hour || time.Until(*k.ExpiresAt) > 31*24*time.Hour {
			t.Errorf("key expires at %v, want in 30 days", k.ExpiresAt)
		}

		listed := send(t, d, first, http.MethodGet, "/v1/keys", "")
		listed.wantStatus(t, http.StatusOK)
		if strings.Contains(string(listed.body), k.Secret) || strings.Contains(string(listed.body), first) {
			t.Fatal("the key listing shows a secret")
		}
		var keys api.List[api.APIKey]
		listed.decode(t, &keys)
		if len(keys.Items) != 2 || keys.Items[0].ID != k.ID {
			t.Fatalf("keys %+v, want the new key first of two", keys.Items)
		}

		second := d.Client(t, k.Secret)
		me, err := second.Users().Me(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.Email != "keys@example.com" || me.Role != api.RoleMember {
			t.Errorf("me with the new key: %+v", me)
		}

		revoked, err := c.Keys().Revoke(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if revoked.RevokedAt == nil {
			t.Error("revoked key has no revocation time")
		}
		_, err = second.Users().Me(ctx)
		wantError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
		if _, err := c.Users().Me(ctx); err != nil {
			t.Fatalf("the other key stopped working: %v", err)
		}
		_, err = c.Keys().Revoke(ctx, missingID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
	})
}

func TestAPIKeyLogs(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		c, _ := member(t, d, "logs@example.com")
		k, err := c.Keys().Create(ctx, api.CreateKeyRequest{Name: "logged"})
		if err != nil {
			t.Fatal(err)
		}
		kc := d.Client(t, k.Secret)
		if _, err := kc.Users().Me(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := kc.Bots().List(ctx, api.BotListOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err = kc.Bots().Get(ctx, missingID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)

		var logs []api.RequestLog
		eventually(t, "the request log", func() bool {
			page, err := c.Keys().Logs(ctx, k.ID, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			logs = page.Items
			return len(logs) >= 3
		})
		want := []struct {
			method, path string
			status       int
		}{
			{http.MethodGet, botURL(missingID), http.StatusNotFound},
			{http.MethodGet, "/v1/bots", http.StatusOK},
			{http.MethodGet, "/v1/me", http.StatusOK},
		}
		if len(logs) != len(want) {
			t.Fatalf("key logs %+v, want %d entries", logs, len(want))
		}
		for i, w := range want {
			l := logs[i]
			if l.KeyID != k.ID || l.Method != w.method || l.Path != w.path || l.Status != w.status || l.CreatedAt.IsZero() {
				t.Errorf("log %d is %+v, want %s %s %d", i, l, w.method, w.path, w.status)
			}
		}
		if logs[0].ID <= logs[1].ID {
			t.Errorf("logs not newest first: %d before %d", logs[0].ID, logs[1].ID)
		}

		page, err := c.Keys().Logs(ctx, k.ID, "", 2)
		if err != nil || len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("first page of 2: %+v, %v", page, err)
		}
		rest, err := c.Keys().Logs(ctx, k.ID, page.NextCursor, 2)
		if err != nil || len(rest.Items) != 1 || rest.Items[0].ID != logs[2].ID {
			t.Fatalf("second page: %+v, %v", rest, err)
		}

		all, err := c.Keys().Logs(ctx, 0, "", 500)
		if err != nil {
			t.Fatal(err)
		}
		perKey := map[int64]int{}
		for _, l := range all.Items {
			perKey[l.KeyID]++
		}
		if perKey[k.ID] != 3 || len(perKey) != 2 {
			t.Errorf("the log of all keys counts %v, want 3 for key %d and the first key's requests", perKey, k.ID)
		}

		eventually(t, "the key's last use", func() bool {
			keys, err := c.Keys().List(context.Background(), "", 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range keys.Items {
				if key.ID == k.ID {
					return key.LastUsedAt != nil
				}
			}
			return false
		})
	})
}
