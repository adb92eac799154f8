package daemon_test

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestCreateAdminKey_Postgres: on a fresh PostgreSQL database, where no
// daemon writes a CLI config, the operator's command migrates, makes the
// admin and prints a key that a daemon on that database then accepts.
func TestCreateAdminKey_Postgres(t *testing.T) {
	t.Parallel()
	sc := storetest.PostgresConfig(t)
	cfg := daemon.Config{DatabaseURL: sc.DatabaseURL, DataDir: t.TempDir(), WebhookSecret: "shared"}
	k, err := daemon.CreateAdminKey(t.Context(), cfg, "ops", 30)
	if err != nil {
		t.Fatal(err)
	}
	if k.Secret == "" || k.ExpiresAt == nil || k.ExpiresAt.Before(time.Now().Add(29*24*time.Hour)) || k.ExpiresAt.After(time.Now().Add(31*24*time.Hour)) {
		t.Fatalf("key %+v", k.APIKey)
	}
	again, err := daemon.CreateAdminKey(t.Context(), cfg, "ops 2", 30)
	if err != nil || again.Secret == k.Secret {
		t.Fatalf("second key: %v", err)
	}
	d := daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, sc)})
	for _, secret := range []string{k.Secret, again.Secret} {
		me, err := d.Client(t, secret).Users().Me(t.Context())
		if err != nil || me.Role != api.RoleAdmin || me.ID != 1 {
			t.Fatalf("the printed key: %+v, %v", me, err)
		}
	}
	users, err := d.Admin.Users().List(t.Context(), "", 10)
	if err != nil || len(users.Items) != 1 {
		t.Fatalf("users after create-key and a daemon start: %+v %v", users, err)
	}
}
