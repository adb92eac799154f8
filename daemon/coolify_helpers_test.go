package daemon_test

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/sandbox"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/trpc/trpcclient"
)

// slotContainers plays the bot image inside each slot application of a
// fake Coolify: when a deployment starts the container, it asks the
// daemon which bot its slot runs (getSlot with POOL_SLOT_UUID and the
// slot's token, as the real images do) and runs the sandbox bot over the
// tRPC protocol with that token. A container whose slot runs no bot exits.
type slotContainers struct {
	callFor time.Duration // how long each bot stays in its call

	mu      sync.Mutex
	running map[string]context.CancelFunc
	live    atomic.Int64 // containers running a bot now
	maxLive atomic.Int64
	bots    atomic.Int64 // containers that found a bot
	empty   atomic.Int64 // containers that found none and exited
	// mismatch counts bots run in a slot of another meeting platform;
	// doubled bots running in two slots at once.
	mismatch, doubled atomic.Int64
	botOf             map[string]int64 // the bot each running container runs
}

func newSlotContainers(callFor time.Duration) *slotContainers {
	return &slotContainers{callFor: callFor, running: map[string]context.CancelFunc{}, botOf: map[string]int64{}}
}

// Start implements coolifytest.Container.
func (c *slotContainers) Start(app string, env map[string]string) {
	ctx, cancel := context.WithCancel(context.Background())
	c.mu.Lock()
	if old := c.running[app]; old != nil {
		old()
	}
	c.running[app] = cancel
	c.mu.Unlock()
	defer cancel()
	cfg, err := trpcclient.New(env["MILO_URL"], env["MILO_AUTH_TOKEN"], nil).GetSlot(ctx, env["POOL_SLOT_UUID"])
	if err != nil {
		c.empty.Add(1)
		return
	}
	c.bots.Add(1)
	if env["DOCKER_MEETING_PLATFORM"] != cfg.Meeting.Platform {
		c.mismatch.Add(1) // a slot handed to a bot of another meeting platform
	}
	c.mu.Lock()
	for other, bot := range c.botOf {
		if bot == cfg.ID && other != app {
			c.doubled.Add(1) // one bot in two slots at once
		}
	}
	c.botOf[app] = cfg.ID
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.botOf[app] == cfg.ID {
			delete(c.botOf, app)
		}
		c.mu.Unlock()
	}()
	n := c.live.Add(1)
	defer c.live.Add(-1)
	for m := c.maxLive.Load(); n > m && !c.maxLive.CompareAndSwap(m, n); m = c.maxLive.Load() {
	}
	_ = sandbox.Run(ctx, sandbox.Config{
		BotID: cfg.ID, BaseURL: env["MILO_URL"], Token: env["MILO_AUTH_TOKEN"], Protocol: sandbox.ProtocolTRPC,
		CallEndsAfter: c.callFor, StepDelay: 20 * time.Millisecond, HeartbeatInterval: 200 * time.Millisecond,
		ChatInterval: 200 * time.Millisecond, LogFlushInterval: 100 * time.Millisecond,
		RetryBase: 50 * time.Millisecond, RetryMax: time.Second, Stdout: io.Discard,
	})
}

// Stop implements coolifytest.Container.
func (c *slotContainers) Stop(app string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cancel := c.running[app]; cancel != nil {
		cancel()
		delete(c.running, app)
	}
}

// poolSetup is one Coolify pool: its fake, the containers and settings.
type poolSetup struct {
	fake       *coolifytest.Server
	containers *slotContainers
	botLimit   int
	poolMax    int
	minIdle    map[string]int
	idleTTL    time.Duration
	orphanAge  time.Duration
	// deployLease is the daemons' DeployLease (default 8s).
	deployLease time.Duration
}

func newPoolSetup(t testing.TB, botLimit, poolMax int, fo coolifytest.Options) *poolSetup {
	t.Helper()
	c := newSlotContainers(300 * time.Millisecond)
	fo.Container = c
	fo.RateLimit = 100000
	return &poolSetup{fake: coolifytest.New(t, fo), containers: c, botLimit: botLimit, poolMax: poolMax}
}

// platform builds a pool client on the fake, as `meeboter serve` does from
// COOLIFY_* (one per daemon, as each daemon has its own).
func (ps *poolSetup) platform(t testing.TB) *coolify.Platform {
	t.Helper()
	o := ps.fake.Options()
	pool, err := coolify.New(coolify.Config{APIURL: ps.fake.URL(), Token: ps.fake.Token(), ProjectUUID: o.ProjectUUID,
		ServerUUID: o.ServerUUID, DestinationUUID: o.DestinationUUID, GHCROrg: "meeboter", BotLimit: ps.botLimit,
		PoolMax: ps.poolMax, MinIdle: ps.minIdle, IdleTTL: ps.idleTTL, RateLimit: 100000,
		PollInterval: 20 * time.Millisecond, PollMax: 100 * time.Millisecond, StopTimeout: 10 * time.Second,
		DeployTimeout: 20 * time.Second},
		coolify.Options{Logger: slog.New(slog.DiscardHandler), RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return coolify.NewPlatform(pool)
}

// start runs a daemon whose only platform is the pool.
func (ps *poolSetup) start(t testing.TB, st store.Store) *daemontest.Daemon {
	t.Helper()
	return ps.startBehind(t, st, "")
}

// startBehind runs one of several daemons behind the load balancer at
// publicURL, the MILO_URL their slots' containers get.
func (ps *poolSetup) startBehind(t testing.TB, st store.Store, publicURL string) *daemontest.Daemon {
	t.Helper()
	lease := ps.deployLease
	if lease == 0 {
		lease = 8 * time.Second
	}
	return daemontest.Start(t, daemontest.Options{Store: st, Platforms: []platforms.Platform{ps.platform(t)}, PublicURL: publicURL,
		Config: daemon.Config{WorkerInterval: 100 * time.Millisecond, DeployLease: lease, PoolOrphanAge: ps.orphanAge}})
}

// balancer is a load balancer in front of test daemons: it sends each
// request to the first backend still up, as one in front of replicas
// would once a dead one fails its health check.
type balancer struct {
	srv      *httptest.Server
	mu       sync.Mutex
	backends []string
	down     map[string]bool
}

func newBalancer(t *testing.T) *balancer {
	b := &balancer{down: map[string]bool{}}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		u, _ := url.Parse(b.pick(r.In))
		r.SetURL(u)
	}, ErrorLog: log.New(io.Discard, "", 0)}
	b.srv = httptest.NewServer(proxy)
	t.Cleanup(b.srv.Close)
	return b
}

func (b *balancer) pick(r *http.Request) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var up []string
	for _, u := range b.backends {
		if !b.down[u] {
			up = append(up, u)
		}
	}
	if len(up) == 0 {
		return "http://127.0.0.1:1"
	}
	return up[int(time.Now().UnixNano()/1000)%len(up)]
}

func (b *balancer) add(u string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.backends = append(b.backends, u)
}

func (b *balancer) markDown(u string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.down[u] = true
}

// watchSlots samples the slot rows until the test ends and reports the
// most that ever existed.
func watchSlots(t *testing.T, st store.Store) *atomic.Int64 {
	var most atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if slots, err := st.ListPoolSlots(ctx, platforms.Coolify); err == nil && int64(len(slots)) > most.Load() {
				most.Store(int64(len(slots)))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &most
}
