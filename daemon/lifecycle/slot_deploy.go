package lifecycle

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// DeployScope is the deploy limit's scope in the store: every daemon's
// Coolify deploys count against one DEPLOYMENT_QUEUE_MAX_CONCURRENT.
const DeployScope = "coolify"

// errLeaseLost ends a slot deploy whose lease another holder took (this
// daemon stalled past it): the deploy is retried, not failed, since the
// slot is fine and someone else may be finishing it.
var errLeaseLost = errors.New("the pool slot's lease was lost")

// errClaimLost ends a slot deploy whose bot's deploy claim another
// deployer took, or whose bot ended or moved on: that bot is not this
// deploy's any more, so nothing of it is retried or failed here.
var errClaimLost = errors.New("the bot's deploy claim was lost")

// deploySlot deploys a bot admitted onto a Coolify slot, in the steps
// platforms/coolify's package documentation lays out: lease the slot,
// make its application if it has none, wait for the image's first pull,
// take a deploy turn, label and deploy, and wait for the deployment. The
// leases are renewed while it runs; a daemon that dies loses them all.
func (d *Deployer) deploySlot(ctx context.Context, b store.Bot) {
	s := d.s
	if b.PoolSlotID == nil {
		d.failover(ctx, b, errors.New("coolify: the bot was admitted without a pool slot"))
		return
	}
	run, err := d.leaseSlot(ctx, b)
	if err != nil || run == nil {
		// Someone else holds the slot for now (a deploy of a daemon that
		// stalled, a release finishing): try again shortly.
		if err != nil {
			s.log.Error("lease the bot's pool slot", "bot_id", b.ID, "err", err)
		}
		d.retryLater(ctx, b)
		return
	}
	defer run.stop()
	err = run.deploy()
	switch {
	case errors.Is(context.Cause(run.ctx), errClaimLost):
		s.log.Info("slot deploy stopped: the bot is not this deploy's any more", "bot_id", b.ID, "slot", run.slot.Name, "err", err)
	case errors.Is(context.Cause(run.ctx), errLeaseLost) || (err != nil && ctx.Err() != nil):
		s.log.Info("slot deploy interrupted; it will be retried", "bot_id", b.ID, "slot", run.slot.Name, "err", err)
		d.retryLater(context.WithoutCancel(ctx), b)
	case err != nil:
		d.slotFailed(context.WithoutCancel(ctx), run, err)
	default:
		d.slotDeployed(context.WithoutCancel(ctx), run)
	}
}

// leaseSlot takes the bot's slot for this deploy; nil when another holder
// has it or it is no longer DEPLOYING for this bot.
func (d *Deployer) leaseSlot(ctx context.Context, b store.Bot) (*slotRun, error) {
	s := d.s
	holder := s.cfg.Instance + "/slot-" + strconv.FormatInt(*b.PoolSlotID, 10)
	leaseFor := d.slotLease()
	got, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotDeploying}, IDs: []int64{*b.PoolSlotID}, Now: s.now(), LeaseFor: leaseFor, Limit: 1})
	if err != nil || len(got) == 0 {
		return nil, err
	}
	if got[0].AssignedBotID == nil || *got[0].AssignedBotID != b.ID {
		_ = s.store.ReleasePoolSlotLease(ctx, got[0].ID, holder)
		return nil, nil
	}
	rctx, cancel := context.WithCancelCause(ctx)
	run := &slotRun{d: d, pool: s.pool, bot: b, id: got[0].ID, slot: got[0], holder: holder, leaseFor: leaseFor,
		ctx: rctx, cancel: cancel, done: make(chan struct{})}
	go run.renew()
	return run, nil
}

// slotLease is how long a slot deploy's leases (the slot, the image pull,
// the deploy turn) live between renewals: half the deploy lease, so a
// dead daemon's slot is taken over well before its bot's claim runs out,
// while a renewal held up by a loaded database has time to land.
func (d *Deployer) slotLease() time.Duration { return max(d.lease/2, 2*time.Second) }

// slotDeployed records the bot's resource (the slot's application) and
// the slot HEALTHY. A bot that ended meanwhile has already released the
// slot (RELEASING): the lease is given back so the release can stop it.
func (d *Deployer) slotDeployed(ctx context.Context, run *slotRun) {
	s := d.s
	run.stop()
	app := run.slot.ApplicationUUID
	if err := s.store.SetDeployed(ctx, store.DeployedParams{BotID: run.bot.ID, Platform: platforms.Coolify, PlatformID: app,
		DeployedBy: s.cfg.Identity, Holder: d.holder(), Now: s.now()}); err != nil {
		// The bot ended (its slot is RELEASING, for the release to stop),
		// or another deployer took its claim and deploys the slot again.
		s.log.Info("bot ended or was taken over during its slot deploy; giving the slot back", "bot_id", run.bot.ID, "slot", run.slot.Name, "err", err)
		_ = s.store.ReleasePoolSlotLease(ctx, run.slot.ID, run.holder)
		go s.ReleaseSlots(ctx)
		return
	}
	if _, err := s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: run.slot.ID, Holder: run.holder, To: store.SlotHealthy, Now: s.now()}); err != nil {
		s.log.Warn("mark the slot healthy", "slot", run.slot.Name, "err", err)
	}
	d.recorded(ctx, run.bot, platforms.Coolify, app)
}

// slotFailed marks the slot ERROR with Coolify's message, for recovery,
// and fails the bot over (or ends it FATAL/platform_error).
func (d *Deployer) slotFailed(ctx context.Context, run *slotRun, cause error) {
	s := d.s
	run.stop()
	msg := truncate(cause.Error(), 500)
	if _, err := s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: run.slot.ID, Holder: run.holder, To: store.SlotError,
		Error: msg, Now: s.now()}); err != nil {
		s.log.Warn("mark the slot broken", "slot", run.slot.Name, "err", err)
	}
	d.failover(ctx, run.bot, cause)
}

// slotEnv is a new slot application's environment, written once: nothing
// of any one bot, which the container asks for with POOL_SLOT_UUID.
func (s *Service) slotEnv(meetingPlatform, token string) map[string]string {
	env := map[string]string{
		"MILO_URL":                s.cfg.PublicURL,
		"MILO_AUTH_TOKEN":         token,
		"DOCKER_MEETING_PLATFORM": meetingPlatform,
		"NODE_ENV":                "production",
	}
	for k, v := range s.cfg.S3 {
		env[k] = v
	}
	return env
}

// slotSecrets are the slot env's credentials, which Coolify shows once.
var slotSecrets = []string{"MILO_AUTH_TOKEN", "S3_ACCESS_KEY", "S3_SECRET_KEY"}

// poolWait sleeps between two looks at a lock another deploy holds: the
// poll interval, kept between 200 ms and a second and jittered, since every
// look at the deploy turns takes the scope's lock for a moment, and many
// waiters looking at once would hold up every other daemon's.
func (s *Service) poolWait(ctx context.Context) error {
	wait := time.Second
	if s.pool != nil {
		wait = min(max(s.pool.Config().PollInterval, 200*time.Millisecond), wait)
	}
	wait += rand.N(wait / 2)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
