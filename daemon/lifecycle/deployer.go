package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// Deployer starts admitted bots on their platforms. Each bot is claimed in
// the database before the platform call, which runs outside any
// transaction; a claim is never handed to two deployers, so a bot is never
// deployed twice even with several daemons. A daemon that dies mid-deploy
// loses its claim when the lease ends and another deployer retries.
type Deployer struct {
	s      *Service
	paused atomic.Bool
	wake   chan struct{}
	lease  time.Duration
	mu     sync.Mutex
	failed map[int64][]string // platforms a bot failed to deploy on
	// inflight are the bots this daemon is deploying now, each true once
	// ClaimDeploys handed it back meanwhile (the holder is this daemon):
	// it is not deployed twice at once, and the claim taken again is given
	// back when the deploy in flight ends, for the next pass to take.
	inflight map[int64]bool
	sem      chan struct{}
}

func newDeployer(s *Service) *Deployer {
	lease := s.cfg.DeployLease
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	return &Deployer{s: s, wake: make(chan struct{}, 1), lease: lease, failed: map[int64][]string{},
		inflight: map[int64]bool{}, sem: make(chan struct{}, 8)}
}

// Pause stops the deployer taking new bots (while the daemon drains);
// bots it leaves are claimed by another daemon, or by this one after a
// restart.
func (d *Deployer) Pause() { d.paused.Store(true) }

// Kick makes the deployer look for claimable bots now.
func (d *Deployer) Kick() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run claims and deploys bots when kicked and every two seconds (to take
// over expired claims) until ctx ends, then waits for deploys in flight.
func (d *Deployer) Run(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		d.claimAndDeploy(ctx, &wg)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

func (d *Deployer) claimAndDeploy(ctx context.Context, wg *sync.WaitGroup) {
	s := d.s
	for ctx.Err() == nil && !d.paused.Load() {
		tokens := newTokens(cap(d.sem))
		bots, err := s.store.ClaimDeploys(ctx, store.ClaimDeploysParams{Holder: s.cfg.Instance, Now: s.now(), LeaseFor: d.lease,
			Limit: cap(d.sem), TokenHashes: tokens.hashes})
		if err != nil {
			s.log.Error("claim deploys", "err", err)
			return
		}
		for _, b := range bots {
			if !d.begin(b.ID) {
				continue // still deploying here: that deploy renews the claim, or gives it back
			}
			d.sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-d.sem }()
				defer d.end(context.WithoutCancel(ctx), b.ID)
				d.deploy(ctx, b.Bot, tokens.byHash[b.TokenHash])
			})
		}
		if len(bots) < cap(d.sem) {
			return
		}
	}
}

// begin marks a bot in flight; false when it already is, noting that
// its claim was taken again.
func (d *Deployer) begin(id int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.inflight[id]; ok {
		d.inflight[id] = true
		return false
	}
	d.inflight[id] = false
	return true
}

// end ends a bot's flight. A claim taken again while it flew belongs to
// no deploy now (this one recorded the bot, gave its claim back, or failed
// it over): it is given back and the deployer looks again, or the bot
// would wait out the whole claim.
func (d *Deployer) end(ctx context.Context, id int64) {
	d.mu.Lock()
	again := d.inflight[id]
	delete(d.inflight, id)
	d.mu.Unlock()
	if !again {
		return
	}
	if err := d.s.store.ReleaseDeployClaim(ctx, id, d.holder()); err == nil {
		d.Kick()
	}
}

// holder is the name of this daemon's deploy claims.
func (d *Deployer) holder() string { return d.s.cfg.Instance }

// claimTokens are agent tokens made for one claim, so the claim stores
// their hashes in its own statement; only the hashes leave the daemon.
type claimTokens struct {
	hashes []string
	byHash map[string]string
}

func newTokens(n int) claimTokens {
	t := claimTokens{hashes: make([]string, n), byHash: make(map[string]string, n)}
	for i := range n {
		token := domain.NewSecret(domain.BotTokenPrefix)
		t.hashes[i] = domain.HashSecret(token)
		t.byHash[t.hashes[i]] = token
	}
	return t
}

// deploy starts one claimed bot and records its resource, or fails over.
// token is the agent token its claim stored; "" when the claim stored
// none (a bot taken over from an expired claim), and one is stored here.
func (d *Deployer) deploy(ctx context.Context, b store.Bot, token string) {
	s := d.s
	p, ok := s.platforms[b.DeploymentPlatform]
	if !ok {
		d.failover(ctx, b, errors.New("platform not configured on this daemon"))
		return
	}
	if b.DeploymentPlatform == platforms.Coolify && s.pool != nil {
		d.deploySlot(ctx, b)
		return
	}
	if token == "" {
		token = domain.NewSecret(domain.BotTokenPrefix)
		if err := s.store.SetBotToken(ctx, b.ID, domain.HashSecret(token)); err != nil {
			s.log.Error("store bot token", "bot_id", b.ID, "err", err)
			_ = s.store.ReleaseDeployClaim(ctx, b.ID, d.holder())
			return
		}
	}
	dctx, cancel := context.WithTimeout(ctx, d.lease/2)
	id, err := p.Deploy(dctx, s.deploySpec(b, token))
	cancel()
	if errors.Is(err, platforms.ErrFull) {
		d.retryLater(ctx, b)
		return
	}
	if err != nil {
		d.failover(ctx, b, err)
		return
	}
	d.deployed(ctx, b, p, id)
}

func (d *Deployer) deployed(ctx context.Context, b store.Bot, p platforms.Platform, id string) {
	s := d.s
	if err := s.store.SetDeployed(ctx, store.DeployedParams{BotID: b.ID, Platform: p.Name(), PlatformID: id, DeployedBy: s.cfg.Identity,
		Holder: d.holder(), Now: s.now()}); err != nil {
		// Cancelled or ended while deploying: the resource must not outlive it.
		s.log.Info("bot ended during deploy; stopping its resource", "bot_id", b.ID, "resource", id, "err", err)
		_ = p.Stop(context.WithoutCancel(ctx), id)
		return
	}
	d.recorded(ctx, b, p.Name(), id)
}

// recorded forgets a deployed bot's failed platforms and records the
// deploy in its history.
func (d *Deployer) recorded(ctx context.Context, b store.Bot, platform, id string) {
	s := d.s
	d.mu.Lock()
	delete(d.failed, b.ID)
	d.mu.Unlock()
	data, _ := json.Marshal(map[string]string{"platform": platform, "resource": id})
	ev := store.Event{BotID: b.ID, Type: "DEPLOYED", Time: s.now(), Data: data}
	if err := s.store.InsertEvents(ctx, []store.Event{ev}); err != nil {
		s.log.Error("record the deploy", "bot_id", b.ID, "err", err)
	}
	s.changed()
	s.log.Info("bot deployed", "bot_id", b.ID, "platform", platform, "resource", id)
}

// retryLater hands the bot back for another deploy shortly. The database
// gave it capacity, but the platform is still releasing an ended bot's
// resource (a process exiting, a Job being deleted); the bot keeps its
// capacity, and the deploy timeout bounds the wait.
func (d *Deployer) retryLater(ctx context.Context, b store.Bot) {
	d.s.log.Debug("platform still full; retrying the deploy", "bot_id", b.ID, "platform", b.DeploymentPlatform)
	if err := d.s.store.ReleaseDeployClaim(ctx, b.ID, d.holder()); errors.Is(err, store.ErrConflict) {
		d.s.log.Debug("the deploy claim is another's already", "bot_id", b.ID)
		return
	} else if err != nil {
		d.s.log.Error("release deploy claim", "bot_id", b.ID, "err", err)
		return
	}
	time.AfterFunc(250*time.Millisecond, d.Kick)
}

// failover tries the next platform in priority order; once every platform
// failed the bot ends FATAL with the last error. The failure is recorded
// (the claim released, a DEPLOY_FAILED event, bot.deploy_failed saying
// whether the bot goes on) before either.
func (d *Deployer) failover(ctx context.Context, b store.Bot, cause error) {
	s := d.s
	s.log.Warn("deploy failed", "bot_id", b.ID, "platform", b.DeploymentPlatform, "err", cause)
	d.mu.Lock()
	tried := append(slices.Clone(d.failed[b.ID]), b.DeploymentPlatform)
	d.mu.Unlock()
	f := store.DeployFailure{BotID: b.ID, Platform: b.DeploymentPlatform, Error: truncate(cause.Error(), 500),
		FailedOver: len(tried) < len(s.order), Holder: d.holder(), Now: s.now()}
	var de platforms.DetailedError
	if errors.As(cause, &de) {
		f.Details = de.Details()
	}
	if err := s.store.RecordDeployFailure(ctx, f); errors.Is(err, store.ErrConflict) {
		// The claim ran out and another deployer has the bot now: this
		// failure is not the bot's any more.
		s.log.Info("deploy failed after its claim was lost; the bot is another deploy's", "bot_id", b.ID, "err", cause)
		return
	} else if err != nil {
		s.log.Error("record the failed deploy", "bot_id", b.ID, "err", err)
		return
	}
	d.mu.Lock()
	d.failed[b.ID] = tried
	d.mu.Unlock()
	s.changed()
	if !f.FailedOver {
		d.mu.Lock()
		delete(d.failed, b.ID)
		d.mu.Unlock()
		_, _ = s.End(ctx, b.ID, api.StatusFatal, api.ReasonPlatformError, truncate(cause.Error(), 500), api.StatusDeploying)
		return
	}
	if _, err := s.Admit(ctx, b.ID, tried...); err != nil {
		s.log.Error("re-admit after failed deploy", "bot_id", b.ID, "err", err)
	}
}

// deploySpec is what the bot process or container receives: the same
// environment as the original bot images read, with a per-bot token.
func (s *Service) deploySpec(b store.Bot, token string) platforms.DeploySpec {
	env := map[string]string{
		"BOT_ID":                  strconv.FormatInt(b.ID, 10),
		"MILO_URL":                s.cfg.PublicURL,
		"MILO_AUTH_TOKEN":         token,
		"DOCKER_MEETING_PLATFORM": b.Meeting.Platform,
		"NODE_ENV":                "production",
	}
	for k, v := range s.cfg.S3 {
		env[k] = v
	}
	return platforms.DeploySpec{
		BotID: b.ID, MeetingPlatform: b.Meeting.Platform, Env: env,
		Secrets:     []string{"MILO_AUTH_TOKEN", "S3_ACCESS_KEY", "S3_SECRET_KEY"},
		MaxDuration: b.MaxDuration,
		// Each deploy carries a new token, so a name derived from it is the
		// same for the retries of one deploy and new for the next.
		Attempt: domain.HashSecret(token)[:16],
	}
}
