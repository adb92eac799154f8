package daemon_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
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

// TestBootstrapAdminKeyFile: a secret the operator put in a file (a
// mounted Secret) is an admin key from the first start, on both engines.
func TestBootstrapAdminKeyFile(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		secret := "mbk_" + strings.Repeat("c0ffee", 6)
		path := filepath.Join(t.TempDir(), "admin-key")
		if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, 4)},
			Config: daemon.Config{BootstrapAdminKeyFile: path}})
		c := d.Client(t, secret)
		if me, err := c.Users().Me(t.Context()); err != nil || me.Role != api.RoleAdmin {
			t.Fatalf("the bootstrap key: %+v, %v", me, err)
		}
		keys, err := c.Keys().List(t.Context(), "", 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, k := range keys.Items {
			found = found || (k.Name == "bootstrap" && k.ExpiresAt != nil && k.Prefix == secret[:12])
		}
		if !found {
			t.Fatalf("no expiring bootstrap key among %+v", keys.Items)
		}
	})
}

func TestBootstrapAdminKeyFile_Short(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "admin-key")
	if err := os.WriteFile(path, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := daemon.New(t.Context(), daemon.Config{DataDir: t.TempDir(), BootstrapAdminKeyFile: path},
		daemon.Options{Store: storetest.OpenSQLite(t), Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, 4)}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	if err := srv.Start(t.Context()); err == nil || !strings.Contains(err.Error(), "at least 32 characters") {
		t.Fatalf("start with a short bootstrap key: %v", err)
	}
}
