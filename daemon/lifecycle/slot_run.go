package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// deployAttempts is how many deployments a slot deploy tries before the
// slot counts as broken; each retry waits twice as long as the last.
const deployAttempts = 3

// slotRun is one deploy of one slot, holding the slot's lease and, for a
// while, the image pull and a deploy turn. renew keeps all three alive;
// losing the slot's lease cancels ctx with errLeaseLost.
type slotRun struct {
	d        *Deployer
	pool     *coolify.Pool
	bot      store.Bot
	id       int64          // the slot's id, fixed for the run
	slot     store.PoolSlot // the slot as last written (by deploy only)
	holder   string
	leaseFor time.Duration
	ctx      context.Context
	cancel   context.CancelCauseFunc
	done     chan struct{}
	once     sync.Once

	mu      sync.Mutex
	pullKey string // the image pull this deploy holds, if any
	turn    bool   // whether it holds a deploy turn
}

func (r *slotRun) entry() string { return "slot-" + strconv.FormatInt(r.id, 10) }

// stop ends the renewals and gives back the pull (as not pulled) and the
// turn if still held. Safe to call twice.
func (r *slotRun) stop() {
	r.once.Do(func() {
		r.cancel(nil)
		<-r.done
		ctx := context.WithoutCancel(r.ctx)
		r.finishPull(ctx, false)
		r.releaseTurn(ctx)
	})
}

// renew renews the leases every third of their life until the run stops.
func (r *slotRun) renew() {
	defer close(r.done)
	s := r.d.s
	t := time.NewTicker(r.leaseFor / 3)
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-t.C:
		}
		got, err := s.store.LeasePoolSlots(r.ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: r.holder,
			Statuses: []string{store.SlotDeploying}, IDs: []int64{r.id}, Now: s.now(), LeaseFor: r.leaseFor, Limit: 1})
		if err == nil && len(got) == 0 {
			r.cancel(errLeaseLost)
			return
		}
		// The bot's own claim outlives one lease only if renewed too;
		// else a deployer would take the bot while this deploy runs.
		err = s.store.RenewDeployClaim(r.ctx, store.RenewDeployClaimParams{BotID: r.bot.ID, Holder: r.d.holder(), Now: s.now(),
			LeaseFor: r.d.lease})
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			r.cancel(errClaimLost)
			return
		}
		r.mu.Lock()
		key, turn := r.pullKey, r.turn
		r.mu.Unlock()
		if key != "" {
			_, _ = s.store.TryImagePull(r.ctx, store.ImagePullParams{Key: key, Holder: r.holder, Now: s.now(), LeaseFor: r.leaseFor})
		}
		if turn {
			_, _ = s.store.AcquireDeployTurn(r.ctx, r.turnParams())
		}
	}
}

// deploy runs the steps under the leases and reports how they ended.
func (r *slotRun) deploy() error {
	if r.slot.ApplicationUUID == "" {
		if err := r.createApp(); err != nil {
			return err
		}
	}
	if err := r.waitPull(); err != nil {
		return err
	}
	if err := r.waitTurn(); err != nil {
		return err
	}
	err := r.deployWithRetries()
	r.finishPull(context.WithoutCancel(r.ctx), err == nil)
	r.releaseTurn(context.WithoutCancel(r.ctx))
	return err
}

// createApp makes the slot's application with a fresh slot token and
// records both. A record refused (the lease was lost) deletes the new
// application again, so nothing is left that no slot names.
func (r *slotRun) createApp() error {
	s := r.d.s
	token := domain.NewSecret(domain.SlotTokenPrefix)
	app, err := r.pool.CreateSlotApp(r.ctx, coolify.SlotSpec{Name: r.slot.Name, MeetingPlatform: r.slot.MeetingPlatform,
		Env: s.slotEnv(r.slot.MeetingPlatform, token), Secrets: slotSecrets})
	if err != nil {
		return err
	}
	x, err := s.store.SetPoolSlotApp(r.ctx, store.SetPoolSlotAppParams{ID: r.slot.ID, Holder: r.holder, AppUUID: app.UUID,
		TokenHash: domain.HashSecret(token), Now: s.now()})
	if err != nil {
		_ = r.pool.Delete(context.WithoutCancel(r.ctx), app.UUID)
		if errors.Is(err, store.ErrConflict) {
			r.cancel(errLeaseLost)
			return errLeaseLost
		}
		return fmt.Errorf("record the slot's application: %w", err)
	}
	r.slot = x
	return nil
}

// waitPull waits until the image is on the server or this deploy is the
// one to pull it: only the first deploy of an image pulls, and the others
// wait for it alone, not for each other.
func (r *slotRun) waitPull() error {
	s := r.d.s
	key, err := r.pool.PullKey(r.slot.MeetingPlatform)
	if err != nil {
		return err
	}
	for {
		p, err := s.store.TryImagePull(r.ctx, store.ImagePullParams{Key: key, Holder: r.holder, Now: s.now(), LeaseFor: r.leaseFor})
		if err != nil {
			return err
		}
		switch p.State {
		case store.PullDone:
			return nil
		case store.PullMine:
			r.mu.Lock()
			r.pullKey = key
			r.mu.Unlock()
			return nil
		}
		if err := s.poolWait(r.ctx); err != nil {
			return err
		}
	}
}

func (r *slotRun) turnParams() store.DeployTurnParams {
	cfg := r.pool.Config()
	return store.DeployTurnParams{Scope: DeployScope, Entry: r.entry(), Holder: r.holder, Max: cfg.DeployConcurrency,
		Now: r.d.s.now(), LeaseFor: r.leaseFor, WaitFor: cfg.DeployTimeout}
}

// waitTurn waits, FIFO, for one of the DEPLOYMENT_QUEUE_MAX_CONCURRENT
// turns shared by every daemon.
func (r *slotRun) waitTurn() error {
	for {
		t, err := r.d.s.store.AcquireDeployTurn(r.ctx, r.turnParams())
		if errors.Is(err, store.ErrWaitTimeout) {
			return fmt.Errorf("coolify: no deploy turn within %v (DEPLOYMENT_QUEUE_MAX_CONCURRENT)", r.pool.Config().DeployTimeout)
		}
		if err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
		// A conflict is the slot's entry still held by the deploy that
		// lost this slot's lease: it is released or runs out shortly.
		if err == nil && t.Granted {
			r.mu.Lock()
			r.turn = true
			r.mu.Unlock()
			return nil
		}
		if err := r.d.s.poolWait(r.ctx); err != nil {
			return err
		}
	}
}

// deployWithRetries labels and deploys the slot and waits for the
// deployment, retrying a failed one with backoff. An application gone
// behind the daemon's back is made again, once.
func (r *slotRun) deployWithRetries() error {
	wait := r.pool.Config().PollInterval
	recreated := false
	var last error
	for attempt := 0; attempt < deployAttempts; attempt++ {
		dep, err := r.pool.DeployBot(r.ctx, r.slot.ApplicationUUID, r.bot.ID)
		if errors.Is(err, coolify.ErrNotFound) && !recreated {
			recreated, attempt = true, attempt-1
			if err := r.createApp(); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if _, err = r.pool.WaitDeployment(r.ctx, dep); !errors.Is(err, coolify.ErrDeploymentFailed) {
			return err
		}
		last = err
		r.d.s.log.Warn("slot deployment failed; retrying", "bot_id", r.bot.ID, "slot", r.slot.Name, "attempt", attempt+1, "err", err)
		if err := sleepCtx(r.ctx, wait); err != nil {
			return err
		}
		wait *= 2
	}
	return last
}

func (r *slotRun) finishPull(ctx context.Context, pulled bool) {
	r.mu.Lock()
	key := r.pullKey
	r.pullKey = ""
	r.mu.Unlock()
	if key == "" {
		return
	}
	s := r.d.s
	if err := s.store.FinishImagePull(ctx, store.FinishImagePullParams{Key: key, Holder: r.holder, Pulled: pulled, Now: s.now()}); err != nil {
		s.log.Debug("finish the image pull", "key", key, "err", err)
	}
}

func (r *slotRun) releaseTurn(ctx context.Context) {
	r.mu.Lock()
	held := r.turn
	r.turn = false
	r.mu.Unlock()
	if held {
		_ = r.d.s.store.ReleaseDeployTurn(ctx, DeployScope, r.entry(), r.holder)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
