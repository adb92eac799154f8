package daemon

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/daemon/webhook"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/null"
	"github.com/meeboter/meeboter/store"
)

// Config is everything `meeboter serve` needs. Environment variable names of
// the original Milo server keep their meaning; new settings use MEEBOTER_.
type Config struct {
	Addr        string // MEEBOTER_LISTEN listen address, default 127.0.0.1:3000
	DataDir     string // MEEBOTER_DATA_DIR, default $XDG_DATA_HOME/meeboter
	DatabaseURL string // DATABASE_URL: PostgreSQL; empty means SQLite in DataDir
	// PublicURL is the daemon's URL as bots reach it (given to them as
	// MILO_URL). Default: http:// + Addr.
	PublicURL string
	LogFormat string // json or text
	LogLevel  string

	PlatformPriority []string       // PLATFORM_PRIORITY, default local
	Limits           map[string]int // LOCAL_BOT_LIMIT, K8S_BOT_LIMIT, AWS_BOT_LIMIT, COOLIFY_BOT_LIMIT
	LocalBotCommand  string         // MEEBOTER_LOCAL_BOT_COMMAND, default "<this binary> sandbox-bot"
	// LocalBotEnv names variables of the daemon's environment that local
	// bots receive beyond the allowlist (MEEBOTER_LOCAL_BOT_ENV, a list).
	LocalBotEnv []string
	// LocalBotUser runs local bots as this user (MEEBOTER_LOCAL_BOT_USER).
	LocalBotUser string

	ScheduleLead     time.Duration // MEEBOTER_SCHEDULE_LEAD, default 2m
	QueueTimeout     time.Duration // GLOBAL_QUEUE_TIMEOUT_MS, default 10m
	HeartbeatTimeout time.Duration // MEEBOTER_HEARTBEAT_TIMEOUT, default 2m
	DeployTimeout    time.Duration // MEEBOTER_DEPLOY_TIMEOUT, default 10m
	LeaveGrace       time.Duration // MEEBOTER_LEAVE_GRACE, default 2m
	WorkerInterval   time.Duration // MEEBOTER_WORKER_INTERVAL, default 5s
	MaxBotDuration   time.Duration // MEEBOTER_MAX_BOT_DURATION, default 1h
	// DeployLease is how long a deployer holds a bot's deploy claim
	// before another daemon may take the deploy over (default 2m); pool
	// slot leases last a quarter of it.
	DeployLease time.Duration
	// PoolOrphanAge is how old a Coolify pool application that no slot
	// names must be before the sync deletes it
	// (MEEBOTER_POOL_ORPHAN_AGE, default 5m).
	PoolOrphanAge time.Duration
	// VanishGrace is how long a deployed bot's resource may be missing
	// from its platform before the bot ends FATAL/resource_vanished
	// (MEEBOTER_VANISH_GRACE, default 15s).
	VanishGrace time.Duration

	// MetricsAddr, when set, serves /metrics on this address of its own,
	// unauthenticated, for a Prometheus that cannot hold an API key
	// (MEEBOTER_METRICS_ADDR, e.g. 127.0.0.1:9090 or :9464 inside a
	// cluster network). Unset: /metrics is on the API's listener, for
	// admin API keys only.
	MetricsAddr string

	RateLimit float64 // MEEBOTER_RATE_LIMIT requests per second per key, default 20
	RateBurst int     // MEEBOTER_RATE_BURST, default 60

	// ConsoleIdle ends a web console session unused this long
	// (MEEBOTER_CONSOLE_IDLE_TIMEOUT, default 12h); ConsoleMaxAge ends one
	// this long after sign-in however busy (MEEBOTER_CONSOLE_MAX_AGE,
	// default 168h).
	ConsoleIdle   time.Duration
	ConsoleMaxAge time.Duration

	// WebhookSecret keys the HMAC signature of every webhook
	// (MEEBOTER_WEBHOOK_SECRET). Empty: a secret generated on first start
	// and kept in DataDir/webhook-secret.
	WebhookSecret string
	// Schedule holds the routing and scheduling settings.
	Schedule ScheduleConfig
	// WebhookAllowPrivate lets webhooks reach loopback, private and
	// link-local addresses (MEEBOTER_WEBHOOK_ALLOW_PRIVATE), for local
	// setups; off, a callback URL cannot probe the daemon's own network.
	WebhookAllowPrivate bool
	// WebhookBackoff is the wait before each retry of a failed webhook
	// (MEEBOTER_WEBHOOK_BACKOFF, default 5s,5m,30m,2h,5h,10h,14h,20h,24h,
	// about three days in all), each jittered by up to 20%; after the
	// last one the delivery is given up.
	WebhookBackoff []time.Duration

	// StreamHeartbeats is how often fleet streams get the heartbeat
	// times of their live bots (default 5s).
	StreamHeartbeats time.Duration

	// SharedBotToken is the original server's shared MILO_AUTH_TOKEN,
	// accepted from bots only when set (for a migration period).
	SharedBotToken string
	// S3 holds the S3_* settings: passed to bots, and, when any is set,
	// the daemon's own blob store (see blobs.go).
	S3 map[string]string
	// Storage holds the log archive's and the blob URLs' settings.
	Storage StorageConfig

	// Drain makes a clean stop (SIGINT, SIGTERM) wait for this daemon's
	// local bots to end before it exits (serve --drain), for at most
	// DrainTimeout. Without it they end at once as FATAL/daemon_stopped;
	// bots on shared platforms keep running either way.
	Drain        bool
	DrainTimeout time.Duration

	// ClientConfigPath is where local mode writes the CLI config on first
	// start; empty disables that.
	ClientConfigPath string
	Version          string

	// BootstrapAdminKeyFile names a file holding an API key secret the
	// operator chose (MEEBOTER_BOOTSTRAP_ADMIN_KEY_FILE), such as a
	// mounted Kubernetes Secret: the daemon registers its hash as a key of
	// the first admin once, so a server has an admin key from its first
	// start. See bootstrapKeyFile.
	BootstrapAdminKeyFile string
}

// ConfigFromEnv reads the environment.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:            getenv("MEEBOTER_LISTEN"),
		DataDir:         getenv("MEEBOTER_DATA_DIR"),
		DatabaseURL:     getenv("DATABASE_URL"),
		PublicURL:       cmp.Or(getenv("MEEBOTER_PUBLIC_URL"), getenv("NEXT_PUBLIC_APP_ORIGIN_URL")),
		LogFormat:       getenv("MEEBOTER_LOG_FORMAT"),
		LogLevel:        getenv("MEEBOTER_LOG_LEVEL"),
		LocalBotCommand: getenv("MEEBOTER_LOCAL_BOT_COMMAND"),
		LocalBotEnv:     splitNames(getenv("MEEBOTER_LOCAL_BOT_ENV")),
		LocalBotUser:    strings.TrimSpace(getenv("MEEBOTER_LOCAL_BOT_USER")),
		MetricsAddr:     getenv("MEEBOTER_METRICS_ADDR"),

		BootstrapAdminKeyFile: getenv("MEEBOTER_BOOTSTRAP_ADMIN_KEY_FILE"),
		SharedBotToken:        getenv("MILO_AUTH_TOKEN"),
		PlatformPriority:      splitList(getenv("PLATFORM_PRIORITY")),
		Limits:                map[string]int{},
		S3:                    map[string]string{},
	}
	for name, key := range limitVars {
		if v := getenv(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return c, fmt.Errorf("%s: want a whole number, got %q", key, v)
			}
			c.Limits[name] = n
		}
	}
	for _, k := range []string{"S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET_NAME", "S3_REGION", "S3_FORCE_PATH_STYLE"} {
		if v := getenv(k); v != "" {
			c.S3[k] = v
		}
	}
	var err error
	durations := []struct {
		key string
		dst *time.Duration
		ms  bool
	}{
		{"MEEBOTER_SCHEDULE_LEAD", &c.ScheduleLead, false},
		{"GLOBAL_QUEUE_TIMEOUT_MS", &c.QueueTimeout, true},
		{"MEEBOTER_HEARTBEAT_TIMEOUT", &c.HeartbeatTimeout, false},
		{"MEEBOTER_DEPLOY_TIMEOUT", &c.DeployTimeout, false},
		{"MEEBOTER_LEAVE_GRACE", &c.LeaveGrace, false},
		{"MEEBOTER_WORKER_INTERVAL", &c.WorkerInterval, false},
		{"MEEBOTER_MAX_BOT_DURATION", &c.MaxBotDuration, false},
		{"MEEBOTER_VANISH_GRACE", &c.VanishGrace, false},
		{"MEEBOTER_POOL_ORPHAN_AGE", &c.PoolOrphanAge, false},
		{"MEEBOTER_CONSOLE_IDLE_TIMEOUT", &c.ConsoleIdle, false},
		{"MEEBOTER_CONSOLE_MAX_AGE", &c.ConsoleMaxAge, false},
	}
	for _, d := range durations {
		if *d.dst, err = parseDuration(getenv(d.key), d.ms); err != nil {
			return c, fmt.Errorf("%s: %w", d.key, err)
		}
	}
	if err := c.webhookFromEnv(getenv); err != nil {
		return c, err
	}
	if err := c.Storage.fromEnv(getenv); err != nil {
		return c, err
	}
	if err := c.scheduleFromEnv(getenv); err != nil {
		return c, err
	}
	if v := getenv("MEEBOTER_RATE_LIMIT"); v != "" {
		if c.RateLimit, err = strconv.ParseFloat(v, 64); err != nil || c.RateLimit <= 0 {
			return c, fmt.Errorf("MEEBOTER_RATE_LIMIT: want a positive number, got %q", v)
		}
	}
	if v := getenv("MEEBOTER_RATE_BURST"); v != "" {
		if c.RateBurst, err = strconv.Atoi(v); err != nil || c.RateBurst <= 0 {
			return c, fmt.Errorf("MEEBOTER_RATE_BURST: want a positive whole number, got %q", v)
		}
	}
	return c, nil
}

var limitVars = map[string]string{
	platforms.Local:      "LOCAL_BOT_LIMIT",
	platforms.Kubernetes: "K8S_BOT_LIMIT",
	platforms.AWS:        "AWS_BOT_LIMIT",
	platforms.Coolify:    "COOLIFY_BOT_LIMIT",
	null.Name:            "MEEBOTER_NULL_BOT_LIMIT", // load tests only
}

func parseDuration(v string, ms bool) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	if ms {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("want milliseconds, got %q", v)
		}
		return time.Duration(n) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 90s or 5m, got %q", v)
	}
	return d, nil
}

// splitNames splits a list of variable names, keeping their case.
func splitNames(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(strings.ToLower(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// withDefaults fills unset values and checks the result.
func (c Config) withDefaults() (Config, error) {
	c.Addr = cmp.Or(c.Addr, "127.0.0.1:3000")
	if c.DataDir == "" {
		c.DataDir = defaultDataDir()
	}
	c.PublicURL = strings.TrimRight(cmp.Or(c.PublicURL, "http://"+c.Addr), "/")
	c.LogFormat = cmp.Or(c.LogFormat, "json")
	if len(c.PlatformPriority) == 0 {
		c.PlatformPriority = []string{platforms.Local}
	}
	if c.Limits == nil {
		c.Limits = map[string]int{}
	}
	c.ScheduleLead = cmp.Or(c.ScheduleLead, 2*time.Minute)
	c.QueueTimeout = cmp.Or(c.QueueTimeout, 10*time.Minute)
	c.HeartbeatTimeout = cmp.Or(c.HeartbeatTimeout, 2*time.Minute)
	c.DeployTimeout = cmp.Or(c.DeployTimeout, 10*time.Minute)
	c.LeaveGrace = cmp.Or(c.LeaveGrace, 2*time.Minute)
	c.WorkerInterval = cmp.Or(c.WorkerInterval, 5*time.Second)
	c.MaxBotDuration = cmp.Or(c.MaxBotDuration, time.Hour)
	if len(c.WebhookBackoff) == 0 {
		c.WebhookBackoff = webhook.DefaultBackoff
	}
	c.RateLimit = cmp.Or(c.RateLimit, 20)
	c.RateBurst = cmp.Or(c.RateBurst, 60)
	var err error
	if c.Schedule, err = c.Schedule.withDefaults(); err != nil {
		return c, err
	}
	for _, p := range c.PlatformPriority {
		if _, ok := limitVars[p]; !ok {
			return c, fmt.Errorf("PLATFORM_PRIORITY: unknown platform %q (want local, k8s, aws or coolify)", p)
		}
	}
	return c, nil
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "meeboter")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "meeboter")
	}
	return "meeboter-data"
}

// localMode reports whether the daemon keeps its data in SQLite.
func (c Config) localMode() bool { return c.DatabaseURL == "" }

// sqliteFile is the database's name in the data directory.
const sqliteFile = "meeboter.db"

// storeConfig says which database the configuration names: PostgreSQL at
// DATABASE_URL, else the SQLite file in the data directory. It is the one
// place that rule is written.
func (c Config) storeConfig() store.Config {
	if !c.localMode() {
		return store.Config{DatabaseURL: c.DatabaseURL}
	}
	return store.Config{SQLitePath: filepath.Join(DataDir(c.DataDir), sqliteFile)}
}

// DataDir is dir, or the default data dir when dir is empty.
func DataDir(dir string) string {
	if dir == "" {
		return defaultDataDir()
	}
	return dir
}
