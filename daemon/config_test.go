package daemon

import (
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
