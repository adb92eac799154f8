// Package lifecycle is a bot's life on the control plane's side: creating
// and validating bots, admission (capacity or the queue), the deployer
// that starts admitted bots on their platforms, status transitions, and
// the release of what an ended bot held. Every daemon runs one Service;
// they agree through the store alone.
//
// Scheduled bots book capacity for their window when created (see
// store.ReserveParams): the booking, and admission's respect of other
// bots' bookings, happen under the store's admission lock, so they hold
// across daemons. Admission orders the platforms by the routing policy
// (Config.Policy) using observed join latencies read from stored bots,
// and records each choice as a ROUTED event. WarmTargets is the hook a
// warm pool calls to keep slots ready for the bookings about to start.
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
	// Policy orders the platforms with room for a bot (PLATFORM_POLICY):
	// api.PolicyPriority (the default), PolicyCheapest or PolicyFastest.
	Policy string
	// WarmAhead and WarmBudgetPerHour shape WarmTargets: how far ahead
	// reservations are warmed for, and the most idle slots may cost per
	// hour (0: no cap).
	WarmAhead         time.Duration
	WarmBudgetPerHour float64
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

// Plans resolves what a user may run: their plan's limits with their own
// overrides.
type Plans interface {
	Limits(ctx context.Context, u store.User) (store.Limits, error)
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
	// Logs reads a bot's whole log, archived and live; nil reads the
	// database alone.
	Logs LogHistory
	// Blobs deletes a deleted bot's objects; nil deletes none.
	Blobs BotBlobs
}

// LogHistory reads a bot's log wherever its lines are kept.
type LogHistory interface {
	Logs(ctx context.Context, botID int64, p store.Page) ([]store.LogEntry, error)
	LatestLogs(ctx context.Context, botID int64, n int) ([]store.LogEntry, error)
}

// dbLogs reads logs from the database alone.
type dbLogs struct{ st store.Store }

func (d dbLogs) Logs(ctx context.Context, botID int64, p store.Page) ([]store.LogEntry, error) {
	return d.st.ListLogs(ctx, botID, p)
}

func (d dbLogs) LatestLogs(ctx context.Context, botID int64, n int) ([]store.LogEntry, error) {
	return d.st.LatestLogs(ctx, botID, n)
}

// BotBlobs deletes the objects of a bot (log archive, screenshots,
// recording).
type BotBlobs interface {
	DeleteBot(ctx context.Context, botID int64, recordingKey string) error
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
	logs      LogHistory
	blobs     BotBlobs
	pool      *coolify.Pool
	deployer  *Deployer
	observed  observed      // run times and join latencies, read now and then
	forecast  forecastCache // the queue a queued create's wait is worked out from
	creates   createGroup   // creates due now that share an admission transaction
	releaseN  atomic.Int64  // numbers the holders of the pool's leases
	warming   atomic.Bool   // a warm-up of the pool runs
	lastSync  atomic.Int64  // when the leader last synced the pool (Unix seconds)
}

// New builds the service and its deployer (see Deployer; the daemon runs it).
func New(cfg Config, d Deps) *Service {
	s := &Service{cfg: cfg, log: d.Log, store: d.Store, now: d.Now, platforms: d.Platforms, order: d.Order,
		changed: d.Changed, plans: d.Plans, obs: d.Observer, logs: d.Logs, blobs: d.Blobs, pool: d.Coolify}
	if s.logs == nil {
		s.logs = dbLogs{d.Store}
	}
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
