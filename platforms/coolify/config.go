package coolify

import (
	"cmp"
	"fmt"
	"log/slog"
	"maps"
	"time"
)

// Config is how the pool reaches Coolify and shapes its slots. The zero
// value of every optional field means its default, so a Config built in
// code names only what it changes. ConfigFromEnv reads it from the
// original server's variables; each field's comment names its variable.
type Config struct {
	// APIURL is Coolify's API base, e.g. https://coolify.example.com/api/v1
	// (COOLIFY_API_URL). It must be https: the token travels on every
	// request. Plain http is accepted for loopback hosts only.
	APIURL string
	// Token is the API token (COOLIFY_API_TOKEN), with the read, write and
	// deploy abilities. It is sent as a bearer token and never logged.
	Token string
	// ProjectUUID, ServerUUID and DestinationUUID place the slot
	// applications (COOLIFY_PROJECT_UUID, COOLIFY_SERVER_UUID,
	// COOLIFY_DESTINATION_UUID). The destination may be empty when the
	// server has one.
	ProjectUUID, ServerUUID, DestinationUUID string
	// EnvironmentName is the project environment (COOLIFY_ENVIRONMENT_NAME,
	// default production); EnvironmentUUID (COOLIFY_ENVIRONMENT_UUID), when
	// set, is sent instead.
	EnvironmentName, EnvironmentUUID string
	// CAFile is a PEM bundle of extra roots to trust, for a Coolify behind
	// a private CA (COOLIFY_CA_FILE). Verification itself is never off.
	CAFile string

	// BotLimit is the most bots running on Coolify at once
	// (COOLIFY_BOT_LIMIT); zero means PoolMax.
	BotLimit int
	// PoolMax is the most slot applications that may exist
	// (COOLIFY_POOL_MAX, default 100), counted over every meeting platform.
	PoolMax int
	// MinIdle is how many idle slots to keep ready per meeting platform
	// (COOLIFY_POOL_MIN_IDLE, e.g. google-meet=3,zoom=1; default none).
	MinIdle map[string]int
	// IdleTTL deletes slots idle longer than this beyond MinIdle
	// (COOLIFY_POOL_IDLE_TTL); zero keeps idle slots for ever, as the
	// original did.
	IdleTTL time.Duration

	// RateLimit is the most requests per minute this daemon sends
	// (COOLIFY_RATE_LIMIT, default 200, Coolify's default API_RATE_LIMIT).
	// Coolify counts per user across all of that user's tokens, so when N
	// daemons share a token set it to Coolify's limit divided by N; a 429
	// is still honoured (Retry-After) if the sum overshoots.
	RateLimit int

	// GHCROrg is the GitHub organisation of the default bot images
	// (GHCR_ORG), lowercased: Coolify and Docker refuse uppercase names.
	GHCROrg string
	// ImageTag is the tag of the default images (COOLIFY_IMAGE_TAG,
	// default latest).
	ImageTag string
	// Images overrides the image per meeting platform, as name[:tag]
	// (COOLIFY_IMAGE_GOOGLE_MEET, COOLIFY_IMAGE_MICROSOFT_TEAMS,
	// COOLIFY_IMAGE_ZOOM). The default is
	// ghcr.io/<GHCR_ORG>/meeboter-<meeting platform>-bot:<ImageTag>.
	Images map[string]string
	// CPULimit and MemoryLimit bound each slot's container
	// (COOLIFY_BOT_CPU_LIMIT, default "1"; COOLIFY_BOT_MEMORY_LIMIT,
	// default "2048m"), in Docker's notation: a browser in a call needs
	// about a core and two gigabytes.
	CPULimit, MemoryLimit string

	// DeployConcurrency is the most Coolify deploys running at once across
	// every daemon sharing the database (DEPLOYMENT_QUEUE_MAX_CONCURRENT,
	// default 4). The daemon enforces it in the store.
	DeployConcurrency int
	// DeployTimeout bounds waiting for one deployment
	// (COOLIFY_DEPLOY_TIMEOUT, default 30m); StopTimeout bounds waiting for
	// a stopped slot to report exited (COOLIFY_STOP_TIMEOUT, default 2m).
	DeployTimeout, StopTimeout time.Duration
	// PollInterval and PollMax are the first and the longest wait between
	// two polls of a deployment or a stopping application
	// (COOLIFY_POLL_INTERVAL, default 2s; COOLIFY_POLL_MAX, default 15s).
	PollInterval, PollMax time.Duration
}

// withDefaults fills every unset optional field.
func (c Config) withDefaults() Config {
	c.EnvironmentName = cmp.Or(c.EnvironmentName, "production")
	c.PoolMax = cmp.Or(c.PoolMax, 100)
	c.RateLimit = cmp.Or(c.RateLimit, 200)
	c.ImageTag = cmp.Or(c.ImageTag, "latest")
	c.CPULimit = cmp.Or(c.CPULimit, "1")
	c.MemoryLimit = cmp.Or(c.MemoryLimit, "2048m")
	c.DeployConcurrency = cmp.Or(c.DeployConcurrency, 4)
	c.DeployTimeout = cmp.Or(c.DeployTimeout, 30*time.Minute)
	c.StopTimeout = cmp.Or(c.StopTimeout, 2*time.Minute)
	c.PollInterval = cmp.Or(c.PollInterval, 2*time.Second)
	c.PollMax = cmp.Or(c.PollMax, 15*time.Second)
	c.MinIdle = maps.Clone(c.MinIdle)
	c.Images = maps.Clone(c.Images)
	return c
}

// String describes the configuration for logs and `config view`, with the
// token redacted.
func (c Config) String() string {
	c.Token = redacted(c.Token)
	type plain Config // drops this String method, so %+v does not recurse
	return fmt.Sprintf("%+v", plain(c))
}

// GoString keeps %#v from printing the token.
func (c Config) GoString() string { return c.String() }

// LogValue keeps slog from printing the token.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}
