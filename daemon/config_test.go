package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/webhook"
)

func TestWebhookConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"MEEBOTER_WEBHOOK_SECRET": "s", "MEEBOTER_WEBHOOK_ALLOW_PRIVATE": "true", "MEEBOTER_WEBHOOK_BACKOFF": "1s, 2m"}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || c.WebhookSecret != "s" || !c.WebhookAllowPrivate || len(c.WebhookBackoff) != 2 || c.WebhookBackoff[1] != 2*time.Minute {
		t.Fatalf("config %+v, %v", c, err)
	}
	for k, v := range map[string]string{"MEEBOTER_WEBHOOK_ALLOW_PRIVATE": "maybe", "MEEBOTER_WEBHOOK_BACKOFF": "1s,soon"} {
		if _, err := ConfigFromEnv(func(key string) string { return map[string]string{k: v}[key] }); err == nil {
			t.Errorf("%s=%s accepted", k, v)
		}
	}
	d, err := Config{}.withDefaults()
	if err != nil || len(d.WebhookBackoff) != len(webhook.DefaultBackoff) {
		t.Fatalf("default backoff %v, %v", d.WebhookBackoff, err)
	}
}

// TestPostgresNeedsSharedWebhookSecret: a daemon on PostgreSQL with no
// MEEBOTER_WEBHOOK_SECRET refuses to start, before it writes a secret of
// its own that no other replica shares.
func TestPostgresNeedsSharedWebhookSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := Config{DataDir: dir, DatabaseURL: "postgres://meeboter@127.0.0.1:1/meeboter"}
	_, err := New(t.Context(), cfg, Options{})
	if !errors.Is(err, ErrNoSharedSecret) || !strings.Contains(err.Error(), "MEEBOTER_WEBHOOK_SECRET is required") {
		t.Fatalf("New without a shared secret: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, webhook.SecretFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused daemon wrote a secret of its own (%v)", err)
	}
}
