package daemon

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// webhookFromEnv reads the MEEBOTER_WEBHOOK_* settings.
func (c *Config) webhookFromEnv(getenv func(string) string) error {
	c.WebhookSecret = getenv("MEEBOTER_WEBHOOK_SECRET")
	if v := getenv("MEEBOTER_WEBHOOK_ALLOW_PRIVATE"); v != "" {
		allow, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("MEEBOTER_WEBHOOK_ALLOW_PRIVATE: want true or false, got %q", v)
		}
		c.WebhookAllowPrivate = allow
	}
	v := getenv("MEEBOTER_WEBHOOK_BACKOFF")
	if v == "" {
		return nil
	}
	for _, part := range strings.Split(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return fmt.Errorf("MEEBOTER_WEBHOOK_BACKOFF: want durations such as 10s,1m,1h, got %q", v)
		}
		c.WebhookBackoff = append(c.WebhookBackoff, d)
	}
	return nil
}
