package daemon

import (
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestRenewClientKey: the key a local daemon writes for its CLI expires
// like any other, and is replaced quietly a month before it does; one
// written by an earlier release, that never expires, is replaced and
// revoked; a key the user logged in with is left alone.
func TestRenewClientKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var clock atomic.Int64
	clock.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	st := storetest.OpenSQLite(t)
	cfg := Config{DataDir: dir, ClientConfigPath: filepath.Join(dir, "config.yaml"), PublicURL: "http://127.0.0.1:1"}
	s, err := New(t.Context(), cfg, Options{Store: st, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ok(s.bootstrap(t.Context()))
	first := configKey(t, s, now())
	if first.ExpiresAt == nil || first.ExpiresAt.Sub(now()) > 366*24*time.Hour {
		t.Fatalf("the CLI's first key expires %v", first.ExpiresAt)
	}
	ok(s.renewClientKey(t.Context()))
	eqID(t, "key far from expiry", configKey(t, s, now()).ID, first.ID)

	clock.Add(int64(first.ExpiresAt.Sub(now()) - 10*24*time.Hour))
	ok(s.renewClientKey(t.Context()))
	second := configKey(t, s, now())
	if second.ID == first.ID || !second.ExpiresAt.After(*first.ExpiresAt) {
		t.Fatalf("not renewed ten days before expiry: %+v", second)
	}
	if _, _, err := st.Authenticate(t.Context(), domain.HashSecret(readKey(t, s)), now()); err != nil {
		t.Fatal(err)
	}

	// A key that never expires, as earlier releases wrote.
	legacy, err := s.account.IssueKey(t.Context(), 1, localCLIKey, 0)
	ok(err)
	ok(api.WriteConfigFile(cfg.ClientConfigPath, api.FileConfig{Address: cfg.PublicURL, APIKey: legacy.Secret}))
	ok(s.renewClientKey(t.Context()))
	if configKey(t, s, now()).ID == legacy.Key.ID {
		t.Fatal("a key that never expires was kept")
	}
	if _, _, err := st.Authenticate(t.Context(), domain.HashSecret(legacy.Secret), now()); err == nil {
		t.Fatal("the replaced key that never expires still works")
	}

	// A key the user logged in with is theirs.
	mine, err := s.account.IssueKey(t.Context(), 1, "laptop", 0)
	ok(err)
	ok(api.WriteConfigFile(cfg.ClientConfigPath, api.FileConfig{Address: cfg.PublicURL, APIKey: mine.Secret}))
	ok(s.renewClientKey(t.Context()))
	if readKey(t, s) != mine.Secret {
		t.Fatal("a key the user chose was replaced")
	}
}

func readKey(t *testing.T, s *Server) string {
	t.Helper()
	fc, err := api.ReadConfigFile(s.cfg.ClientConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	return fc.APIKey
}

// configKey is the live key in the CLI's config.
func configKey(t *testing.T, s *Server, now time.Time) store.APIKey {
	t.Helper()
	k, _, err := s.store.Authenticate(t.Context(), domain.HashSecret(readKey(t, s)), now)
	if err != nil {
		t.Fatalf("the CLI's key: %v", err)
	}
	return k
}

func eqID(t *testing.T, what string, got, want int64) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: key %d, want %d", what, got, want)
	}
}
