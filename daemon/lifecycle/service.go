// Package lifecycle is a bot's life on the control plane's side: creating
// and validating bots, admission (capacity or the queue), the deployer
// that starts admitted bots on their platforms, status transitions, and
// the release of what an ended bot held. Every daemon runs one Service;
// they agree through the store alone.
package lifecycle

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// Config holds the settings of a bot's life.
type Config struct {
	// Instance identifies this daemon's process in deploy claims.
	Instance string
	// Identity names this daemon across restarts; bots it deploys record
	// it, so resources only it can see are reconciled by it.
	Identity string
	// PublicURL is the daemon's URL as bots reach it (their MILO_URL).
	PublicURL      string
	S3             map[string]string // S3_* settings passed to bots
	ScheduleLead   time.Duration     // how early a scheduled bot is admitted
	QueueTimeout   time.Duration     // a queued bot's wait, unless it says otherwise
	MaxBotDuration time.Duration     // a bot's run time, unless it says otherwise
	// DeployLease is how long a deployer holds a bot's deploy claim, and
	// a quarter of it a pool slot's lease between renewals (default 2m):
	// a daemon that dies mid-deploy loses both within it.
	DeployLease time.Duration
	// OrphanAge is how old a pool application no slot names must be
	// before the sync deletes it (default DefaultOrphanAge).
	OrphanAge time.Duration
}

// Observer hears what admission and endings do, for metrics.
type Observer interface {
	// Admitted counts a bot given capacity on platform.
	Admitted(platform string)
	// Queued counts a bot entering the queue.
	Queued()
	// QueueWait records how long an admitted bot waited in the queue.
	QueueWait(d time.Duration)
	// Ended counts a bot that ended, with its reason code.
	Ended(status api.BotStatus, reason string)
}

type nopObserver struct{}

func (nopObserver) Admitted(string)             {}
func (nopObserver) Queued()                     {}
func (nopObserver) QueueWait(time.Duration)     {}
func (nopObserver) Ended(api.BotStatus, string) {}

// Plans resolves a user's daily bot limit (nil: unlimited).
type Plans interface {
	DailyLimit(ctx context.Context, u store.User) (*int, error)
}

// Deps are what the Service works with.
type Deps struct {
	Log       *slog.Logger
	Store     store.Store
	Now       func() time.Time
	Platforms map[string]platforms.Platform
	Order     []store.PlatformLimit // admission order, with limits
	// Changed is called after writes that the live streams show or that
	// enqueue webhooks: both are in the store already (its change feed,
	// its outbox), and their readers then go at once rather than at their
	// next poll. Nil: nothing to tell.
	Changed func()
	Plans   Plans
	// Observer hears admissions and endings; nil hears nothing.
	Observer Observer
	// Coolify is the slot pool of the coolify platform, when it is
	// configured: its bots deploy into slots (see slot_deploy.go).
	Coolify *coolify.Pool
}

// Service runs bots through their life.
type Service struct {
	cfg       Config
	log       *slog.Logger
	store     store.Store
	now       func() time.Time
	platforms map[string]platforms.Platform
	order     []store.PlatformLimit
	changed   func()
	plans     Plans
	obs       Observer
	pool      *coolify.Pool
	deployer  *Deployer
	releaseN  atomic.Int64 // numbers the holders of the pool's leases
	warming   atomic.Bool  // a warm-up of the pool runs
	lastSync  atomic.Int64 // when the leader last synced the pool (Unix seconds)
}

// New builds the service and its deployer (see Deployer; the daemon runs it).
func New(cfg Config, d Deps) *Service {
	s := &Service{cfg: cfg, log: d.Log, store: d.Store, now: d.Now, platforms: d.Platforms, order: d.Order,
		changed: d.Changed, plans: d.Plans, obs: d.Observer, pool: d.Coolify}
	if s.obs == nil {
		s.obs = nopObserver{}
	}
	if s.changed == nil {
		s.changed = func() {}
	}
	s.deployer = newDeployer(s)
	return s
}

// Deployer is the service's deployer, for the daemon to run.
func (s *Service) Deployer() *Deployer { return s.deployer }

// Order is the admission order with each platform's limit.
func (s *Service) Order() []store.PlatformLimit { return s.order }

// Platform returns the platform called name, or nil.
func (s *Service) Platform(name string) platforms.Platform { return s.platforms[name] }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
