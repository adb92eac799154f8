package daemon_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// TestIdempotencyUnderConcurrency: eight clients retrying one create at
// once, with one Idempotency-Key, make exactly one bot, and every one of
// them gets its answer (or is told the first is still running).
func TestIdempotencyUnderConcurrency(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		p := daemontest.NewInstant(platforms.Local, 10000)
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Platforms: []platforms.Platform{p}})
		body := `{"meeting":{"meetingUrl":"` + meetURL + `"}}`
		const trials, clients = 50, 8
		for trial := range trials {
			key := fmt.Sprint("retry-", trial)
			ids := make(chan int64, clients)
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					r := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", body, "Idempotency-Key", key)
					switch r.status {
					case http.StatusCreated:
						var b api.Bot
						r.decode(t, &b)
						ids <- b.ID
					case http.StatusConflict:
						wantProblem(t, r, http.StatusConflict, api.CodeIdempotencyInProgress)
					default:
						t.Errorf("trial %d: %d %s", trial, r.status, r.body)
					}
				})
			}
			wg.Wait()
			close(ids)
			seen := map[int64]bool{}
			for id := range ids {
				seen[id] = true
			}
			if len(seen) != 1 {
				t.Fatalf("trial %d: one key made bots %v", trial, seen)
			}
		}
		list, err := d.Admin.Bots().List(t.Context(), api.BotListOptions{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != trials {
			t.Fatalf("%d keys made %d bots", trials, len(list.Items))
		}
	})
}

// TestIdempotentReplayHoldsNoSecret: a key's secret is shown once. The
// replay of its creation says the secret was omitted, and the stored
// answer does not hold it.
func TestIdempotentReplayHoldsNoSecret(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		st := open(t)
		d := daemontest.Start(t, daemontest.Options{Store: st})
		for _, c := range []struct{ path, body string }{
			{"/v1/keys", `{"name":"ci"}`},
			{"/v1/users", `{"email":"new@example.com"}`},
			{"/v1/users/2/reset-keys", ``}, // the user created just before
		} {
			first := send(t, d, d.AdminKey, http.MethodPost, c.path, c.body, "Idempotency-Key", "k"+c.path)
			again := send(t, d, d.AdminKey, http.MethodPost, c.path, c.body, "Idempotency-Key", "k"+c.path)
			first.wantStatus(t, http.StatusCreated)
			again.wantStatus(t, http.StatusCreated)
			secret := secretOf(t, first)
			if secret == "" || bytes.Contains(again.body, []byte(secret)) || !bytes.Contains(again.body, []byte(`"secretOmitted":true`)) {
				t.Fatalf("%s: replay %s (first secret %q)", c.path, again.body, secret)
			}
			if again.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("%s: the replay is not marked", c.path)
			}
		}
	})
}

func secretOf(t *testing.T, r reply) string {
	t.Helper()
	var v struct {
		Secret string `json:"secret"`
		Key    struct {
			Secret string `json:"secret"`
		} `json:"key"`
	}
	r.decode(t, &v)
	return v.Secret + v.Key.Secret
}
