package daemon_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestCoolifyFromEnvironment: PLATFORM_PRIORITY=coolify builds the pool
// from the original server's variables, and a daemon missing them fails
// at start naming each one; a daemon without coolify needs none of them.
func TestCoolifyFromEnvironment(t *testing.T) {
	for _, k := range []string{"COOLIFY_API_URL", "COOLIFY_API_TOKEN", "COOLIFY_PROJECT_UUID", "COOLIFY_SERVER_UUID", "GHCR_ORG"} {
		t.Setenv(k, "")
	}
	start := func(priority string) (*daemon.Server, error) {
		return daemon.New(context.Background(), daemon.Config{PlatformPriority: []string{priority}, DataDir: t.TempDir()},
			daemon.Options{Store: storetest.OpenSQLite(t)})
	}
	_, err := start("coolify")
	for _, name := range []string{"COOLIFY_API_URL", "COOLIFY_API_TOKEN", "COOLIFY_PROJECT_UUID", "COOLIFY_SERVER_UUID"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("a daemon without %s started (or said %v)", name, err)
		}
	}
	if srv, err := start("local"); err != nil {
		t.Fatalf("a daemon without Coolify needs its settings: %v", err)
	} else {
		_ = srv.Close()
	}
	fake := coolifytest.New(t, coolifytest.Options{})
	o := fake.Options()
	for k, v := range map[string]string{"COOLIFY_API_URL": fake.URL(), "COOLIFY_API_TOKEN": fake.Token(), "COOLIFY_PROJECT_UUID": o.ProjectUUID,
		"COOLIFY_SERVER_UUID": o.ServerUUID, "GHCR_ORG": "Meeboter", "COOLIFY_BOT_LIMIT": "4", "COOLIFY_POOL_MAX": "6"} {
		t.Setenv(k, v)
	}
	srv, err := start("coolify")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	key, err := srv.IssueKey(t.Context(), 1, "test")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := api.NewClient(api.Config{Address: hs.URL, APIKey: key.Secret})
	ps, err := c.Pool(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Platforms) != 1 || ps.Platforms[0].Name != "coolify" || ps.Platforms[0].Limit != 4 || len(ps.Slots) != 3 {
		t.Fatalf("pool status %+v, want coolify with COOLIFY_BOT_LIMIT 4 and slot counts", ps)
	}
}
