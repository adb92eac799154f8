//go:build linux

package packaging

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store/storetest"
)

// readyz asks the daemon's readiness endpoint, as the Kubernetes probe
// does, and returns the health document.
func readyz(t *testing.T, d *daemon) api.Health {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(d.url + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v\n%s", err, d.log())
	}
	defer resp.Body.Close()
	var h api.Health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /readyz: %d %+v (%v)\n%s", resp.StatusCode, h, err, d.log())
	}
	return h
}

// healthcheck runs the image's HEALTHCHECK command in the sandbox and
// returns its exit status.
func healthcheck(t *testing.T, s *sandbox, bin string, env []string) int {
	t.Helper()
	argv := loadImage(t).healthcheck
	out, err := s.command(bin, env, argv[1:]...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		t.Logf("%v: %s", argv, out)
		return exit.ExitCode()
	}
	t.Fatalf("run %v: %v", argv, err)
	return -1
}

// TestReadOnlyRoot_Postgres starts the daemon as the Kubernetes example
// and the Compose file run it: PostgreSQL, the webhook secret from the
// environment, a home it cannot write and no XDG directories. It must
// migrate, start, answer /readyz, pass the image's health check, stop
// cleanly on SIGTERM, and have written nothing outside its data dir.
func TestReadOnlyRoot_Postgres(t *testing.T) {
	t.Parallel()
	db := storetest.PostgresConfig(t).DatabaseURL // skips without MEEBOTER_TEST_POSTGRES_URL
	bin := binary(t)
	s := newSandbox(t)
	extra := []string{"DATABASE_URL=" + db, "MEEBOTER_WEBHOOK_SECRET=" + rand.Text()}

	if out, err := s.command(bin, s.env(t, "127.0.0.1:0", extra...), "migrate").CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	d := startDaemon(t, s, bin, extra...)
	if h := readyz(t, d); h.Status != "ready" || h.Engine != "postgres" {
		t.Fatalf("/readyz says %+v, want ready on postgres", h)
	}
	env := d.cmd.Env
	if code := healthcheck(t, s, bin, env); code != 0 {
		t.Fatalf("health check of a ready daemon exited %d, want 0", code)
	}
	if err := d.stop(t); err != nil {
		t.Fatalf("serve after SIGTERM: %v, want exit 0\n%s", err, d.log())
	}
	if code := healthcheck(t, s, bin, env); code != 1 {
		t.Fatalf("health check of a stopped daemon exited %d, want 1", code)
	}
	if names := s.homeEntries(t); len(names) > 0 {
		t.Errorf("the daemon wrote %v into its home", names)
	}
	// With the secret from the environment nothing secret is written; the
	// data dir holds only scratch (local bot state, screenshots) and the
	// daemon's own name (daemon-id), which bots it deploys record.
	if _, err := os.Stat(filepath.Join(s.data, "webhook-secret")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("webhook-secret written although MEEBOTER_WEBHOOK_SECRET is set (%v)", err)
	}
	entries, _ := os.ReadDir(s.data)
	for _, e := range entries {
		if !slices.Contains([]string{"local", "blobs", "daemon-id"}, e.Name()) {
			t.Errorf("unexpected %s in the data dir with PostgreSQL", e.Name())
		}
	}
}

// TestReadOnlyRoot_LocalMode starts the image's default, local mode
// (SQLite, no settings), under the same conditions. The image points
// MEEBOTER_CONFIG into the data dir, so the first start's admin CLI config
// lands next to the database instead of in the read-only home, and the
// CLI in the container (docker exec) finds it.
func TestReadOnlyRoot_LocalMode(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	s := newSandbox(t)
	d := startDaemon(t, s, bin)
	if h := readyz(t, d); h.Status != "ready" || h.Engine != "sqlite" {
		t.Fatalf("/readyz says %+v, want ready on sqlite", h)
	}
	// The CLI finds the daemon's address and the admin key in the file alone.
	if out, err := s.command(bin, d.cmd.Env, "bot", "list").CombinedOutput(); err != nil {
		t.Errorf("bot list with the config the daemon wrote: %v\n%s", err, out)
	}
	if err := d.stop(t); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, d.log())
	}
	if names := s.homeEntries(t); len(names) > 0 {
		t.Errorf("the daemon wrote %v into its home", names)
	}
	for _, name := range []string{"meeboter.db", "cli-config.yaml", "webhook-secret"} {
		fi, err := os.Stat(filepath.Join(s.data, name))
		if err != nil {
			t.Errorf("local mode keeps %s in the data dir: %v", name, err)
			continue
		}
		if name != "meeboter.db" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v; it holds a secret, want 0600", name, fi.Mode().Perm())
		}
	}
}
