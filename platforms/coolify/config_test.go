package coolify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// fullEnv is a complete Coolify setup as an existing .env of the original
// server has it, plus the new settings.
var fullEnv = []string{
	"COOLIFY_API_URL", "https://coolify.example.com/api/v1/", "COOLIFY_API_TOKEN", "1|secret-token",
	"COOLIFY_PROJECT_UUID", "p1", "COOLIFY_SERVER_UUID", "s1", "COOLIFY_DESTINATION_UUID", "d1",
	"COOLIFY_BOT_LIMIT", "20", "GHCR_ORG", "Payme-Works", "COOLIFY_POOL_MAX", "30",
	"COOLIFY_POOL_MIN_IDLE", "google-meet=3, zoom=1", "COOLIFY_POOL_IDLE_TTL", "2h", "COOLIFY_RATE_LIMIT", "100",
	"COOLIFY_IMAGE_ZOOM", "registry.example.com:5000/bots/zoom:v7", "DEPLOYMENT_QUEUE_MAX_CONCURRENT", "6",
	"COOLIFY_BOT_MEMORY_LIMIT", "3g",
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	c, err := ConfigFromEnv(envOf(fullEnv...))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	c = c.withDefaults()
	if c.BotLimit != 20 || c.PoolMax != 30 || c.RateLimit != 100 || c.DeployConcurrency != 6 || c.IdleTTL != 2*time.Hour ||
		c.MinIdle["google-meet"] != 3 || c.MinIdle["zoom"] != 1 || c.EnvironmentName != "production" ||
		c.CPULimit != "1" || c.MemoryLimit != "3g" || c.DeployTimeout != 30*time.Minute {
		t.Fatalf("config %+v", c)
	}
	if c.GHCROrg != "payme-works" {
		t.Fatalf("GHCR_ORG %q not lowercased", c.GHCROrg)
	}
	images := map[string]string{
		GoogleMeet:     "ghcr.io/payme-works/meeboter-google-meet-bot:latest",
		MicrosoftTeams: "ghcr.io/payme-works/meeboter-microsoft-teams-bot:latest",
		Zoom:           "registry.example.com:5000/bots/zoom:v7",
	}
	for mp, want := range images {
		if got, err := c.Image(mp); err != nil || got.String() != want {
			t.Errorf("Image(%s) = %v, %v; want %s", mp, got, err, want)
		}
	}
	if s := c.String() + fmt.Sprintf("%#v %v", c, c); strings.Contains(s, "secret-token") {
		t.Fatalf("the token leaks when the config is printed: %s", s)
	}
}

// TestConfig_NothingRequiredWithoutCoolify: a daemon that does not use
// Coolify reads an environment without any COOLIFY_* variable.
func TestConfig_NothingRequiredWithoutCoolify(t *testing.T) {
	t.Parallel()
	if Configured(envOf()) {
		t.Fatal("Configured with no variables")
	}
	if _, err := ConfigFromEnv(envOf()); err != nil {
		t.Fatalf("ConfigFromEnv of an empty environment: %v", err)
	}
	err := Config{}.Validate()
	for _, name := range []string{"COOLIFY_API_URL", "COOLIFY_API_TOKEN", "COOLIFY_PROJECT_UUID", "COOLIFY_SERVER_UUID", "GHCR_ORG"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Validate of an empty config does not name %s: %v", name, err)
		}
	}
}

func TestConfig_Errors(t *testing.T) {
	t.Parallel()
	parse := []struct{ key, value string }{
		{"COOLIFY_BOT_LIMIT", "many"}, {"COOLIFY_POOL_MAX", "1.5"}, {"COOLIFY_POOL_IDLE_TTL", "a while"},
		{"COOLIFY_POOL_MIN_IDLE", "google-meet"}, {"COOLIFY_POOL_MIN_IDLE", "zoom=-1"}, {"COOLIFY_POOL_MIN_IDLE", "zoom=1,zoom=2"},
		{"COOLIFY_RATE_LIMIT", "fast"}, {"DEPLOYMENT_QUEUE_MAX_CONCURRENT", "x"}, {"COOLIFY_STOP_TIMEOUT", "-5s"},
	}
	for _, tc := range parse {
		if _, err := ConfigFromEnv(envOf(tc.key, tc.value)); err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s=%q: err %v does not name the variable", tc.key, tc.value, err)
		}
	}
	valid := []struct{ key, value string }{
		{"COOLIFY_API_URL", "http://coolify.example.com/api/v1"}, {"COOLIFY_API_URL", "ftp://x"},
		{"COOLIFY_API_URL", "https://u:p@coolify.example.com"}, {"COOLIFY_BOT_LIMIT", "-1"}, {"COOLIFY_POOL_MAX", "-3"},
		{"COOLIFY_POOL_MIN_IDLE", "zoom=40"}, {"COOLIFY_POOL_MIN_IDLE", "skype=1"}, {"COOLIFY_RATE_LIMIT", "1"},
		{"DEPLOYMENT_QUEUE_MAX_CONCURRENT", "-1"}, {"COOLIFY_BOT_CPU_LIMIT", "one"}, {"COOLIFY_BOT_MEMORY_LIMIT", "2 GB"},
		{"COOLIFY_IMAGE_ZOOM", "ghcr.io/Payme-Works/zoom"}, {"COOLIFY_IMAGE_TAG", "-bad"}, {"COOLIFY_POLL_MAX", "1ms"},
		{"COOLIFY_CA_FILE", "/nonexistent/ca.pem"},
	}
	for _, tc := range valid {
		env := append(append([]string{}, fullEnv...), tc.key, tc.value)
		c, err := ConfigFromEnv(envOf(env...))
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s=%q: err %v does not name the variable", tc.key, tc.value, err)
		}
	}
}

func TestConfig_LoopbackHTTP(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://127.0.0.1:8000/api/v1", "http://localhost/api/v1", "http://[::1]:80/api/v1"} {
		if err := checkAPIURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestConfig_CAFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(empty, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadCAFile(empty); err == nil {
		t.Fatal("a file without a certificate loaded")
	}
}

func TestParseImage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, name, tag string
		ok            bool
	}{
		{"ghcr.io/acme/bot", "ghcr.io/acme/bot", "latest", true},
		{"ghcr.io/acme/bot:v1.2", "ghcr.io/acme/bot", "v1.2", true},
		{"localhost:5000/bot", "localhost:5000/bot", "latest", true},
		{"localhost:5000/bot:7", "localhost:5000/bot", "7", true},
		{"ghcr.io/acme/bot@sha256:abc123", "ghcr.io/acme/bot@sha256", "abc123", true},
		{"ghcr.io/Acme/bot", "", "", false},
		{"ghcr.io/acme/bot:", "", "", false},
		{"ghcr.io/acme/bot:$(rm)", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range cases {
		got, err := ParseImage(tc.in, "latest")
		if (err == nil) != tc.ok || (tc.ok && (got.Name != tc.name || got.Tag != tc.tag)) {
			t.Errorf("ParseImage(%q) = %+v, %v", tc.in, got, err)
		}
	}
}
