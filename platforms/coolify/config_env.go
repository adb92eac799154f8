package coolify

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// imageVars names the per-meeting-platform image overrides.
var imageVars = map[string]string{
	GoogleMeet:     "COOLIFY_IMAGE_GOOGLE_MEET",
	MicrosoftTeams: "COOLIFY_IMAGE_MICROSOFT_TEAMS",
	Zoom:           "COOLIFY_IMAGE_ZOOM",
}

// Configured reports whether the environment sets up Coolify at all. The
// daemon only reads and validates the rest when it does, so nothing Coolify
// needs is required of a daemon that does not use it (the original
// demanded COOLIFY_API_URL everywhere, W73).
func Configured(getenv func(string) string) bool {
	return getenv("COOLIFY_API_URL") != "" || getenv("COOLIFY_BOT_LIMIT") != ""
}

// ConfigFromEnv reads the COOLIFY_* variables, GHCR_ORG and
// DEPLOYMENT_QUEUE_MAX_CONCURRENT, with the original server's names, so an
// existing .env keeps working. It fails, naming the variable, on a value
// that does not parse; missing required values are reported by Validate
// (New calls it), because a daemon without Coolify needs none of them.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		APIURL:          strings.TrimSpace(getenv("COOLIFY_API_URL")),
		Token:           strings.TrimSpace(getenv("COOLIFY_API_TOKEN")),
		ProjectUUID:     strings.TrimSpace(getenv("COOLIFY_PROJECT_UUID")),
		ServerUUID:      strings.TrimSpace(getenv("COOLIFY_SERVER_UUID")),
		DestinationUUID: strings.TrimSpace(getenv("COOLIFY_DESTINATION_UUID")),
		EnvironmentName: strings.TrimSpace(getenv("COOLIFY_ENVIRONMENT_NAME")),
		EnvironmentUUID: strings.TrimSpace(getenv("COOLIFY_ENVIRONMENT_UUID")),
		CAFile:          strings.TrimSpace(getenv("COOLIFY_CA_FILE")),
		GHCROrg:         strings.ToLower(strings.TrimSpace(getenv("GHCR_ORG"))),
		ImageTag:        strings.TrimSpace(getenv("COOLIFY_IMAGE_TAG")),
		CPULimit:        strings.TrimSpace(getenv("COOLIFY_BOT_CPU_LIMIT")),
		MemoryLimit:     strings.TrimSpace(getenv("COOLIFY_BOT_MEMORY_LIMIT")),
	}
	for mp, name := range imageVars {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			if c.Images == nil {
				c.Images = map[string]string{}
			}
			c.Images[mp] = v
		}
	}
	var errs []error
	ints := []struct {
		name string
		dst  *int
	}{
		{"COOLIFY_BOT_LIMIT", &c.BotLimit}, {"COOLIFY_POOL_MAX", &c.PoolMax},
		{"COOLIFY_RATE_LIMIT", &c.RateLimit}, {"DEPLOYMENT_QUEUE_MAX_CONCURRENT", &c.DeployConcurrency},
	}
	for _, v := range ints {
		errs = append(errs, envInt(getenv, v.name, v.dst))
	}
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{"COOLIFY_POOL_IDLE_TTL", &c.IdleTTL}, {"COOLIFY_DEPLOY_TIMEOUT", &c.DeployTimeout},
		{"COOLIFY_STOP_TIMEOUT", &c.StopTimeout}, {"COOLIFY_POLL_INTERVAL", &c.PollInterval},
		{"COOLIFY_POLL_MAX", &c.PollMax},
	}
	for _, v := range durations {
		errs = append(errs, envDuration(getenv, v.name, v.dst))
	}
	var err error
	c.MinIdle, err = ParseMinIdle(getenv("COOLIFY_POOL_MIN_IDLE"))
	errs = append(errs, wrapVar("COOLIFY_POOL_MIN_IDLE", err))
	return c, errors.Join(errs...)
}

// ParseMinIdle parses COOLIFY_POOL_MIN_IDLE: comma-separated
// meeting-platform=count pairs, e.g. "google-meet=3,zoom=1".
func ParseMinIdle(v string) (map[string]int, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string]int{}
	for _, pair := range strings.Split(v, ",") {
		k, n, ok := strings.Cut(strings.TrimSpace(pair), "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q: want meeting-platform=count, e.g. google-meet=3", pair)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("meeting platform %q given twice", k)
		}
		count, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil || count < 0 {
			return nil, fmt.Errorf("%q: count must be a whole number of zero or more", pair)
		}
		out[k] = count
	}
	return out, nil
}

func envInt(getenv func(string) string, name string, dst *int) error {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%s: want a whole number, got %q", name, v)
	}
	*dst = n
	return nil
}

func envDuration(getenv func(string) string, name string, dst *time.Duration) error {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("%s: want a duration such as 90s or 5m, got %q", name, v)
	}
	*dst = d
	return nil
}

func wrapVar(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}
