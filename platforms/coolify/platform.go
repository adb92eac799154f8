package coolify

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/platforms"
)

var (
	_ platforms.Platform      = (*Platform)(nil)
	_ platforms.BatchStatuser = (*Platform)(nil)
)

// Reason codes of failed slots.
const (
	ReasonDeployFailed    = "deploy_failed"
	ReasonDeployCancelled = "deploy_cancelled"
	ReasonCrashLoop       = "crash_loop"
)

// Platform is the Coolify pool seen as a platforms.Platform: a resource is
// a slot's application, identified by its uuid. Deploy needs the slot in
// DeploySpec.Slot, with its application created; the daemon arranges both
// (admission gives the slot, Pool.CreateSlotApp the application) and runs
// the deploy under the store's image-pull lock and deploy limit, which a
// platform cannot reach. Stop, Status, List and Statuses are what the
// daemon's reconciliation and the conformance suite use.
type Platform struct {
	pool *Pool
}

// NewPlatform wraps a pool.
func NewPlatform(pool *Pool) *Platform { return &Platform{pool: pool} }

// Name returns platforms.Coolify.
func (p *Platform) Name() string { return platforms.Coolify }

// Capacity is COOLIFY_BOT_LIMIT, or COOLIFY_POOL_MAX when that is unset
// (one bot per slot is the most a pool can run). How many slots exist is
// bounded apart, by COOLIFY_POOL_MAX, in admission.
func (p *Platform) Capacity() int { return cmp.Or(p.pool.cfg.BotLimit, p.pool.cfg.PoolMax) }

// Pool is the pool the platform runs on.
func (p *Platform) Pool() *Pool { return p.pool }

// Deploy labels the slot's application with the bot and queues its
// deployment (Pool.DeployBot); it does not wait for it (Status says
// PENDING until the container runs). The daemon, which also waits for the
// deployment, calls Pool.DeployBot itself to learn the deployment's uuid.
func (p *Platform) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("coolify: deploy bot %d: %w", spec.BotID, err)
	}
	if spec.Slot == nil || spec.Slot.AppUUID == "" {
		return "", fmt.Errorf("coolify: deploy bot %d: no slot application in the spec (admission assigns the slot; Pool.CreateSlotApp makes its application)", spec.BotID)
	}
	uuid := spec.Slot.AppUUID
	if _, err := p.pool.DeployBot(ctx, uuid, spec.BotID); err != nil {
		return "", notFound(fmt.Errorf("coolify: deploy bot %d into slot %s: %w", spec.BotID, uuid, err))
	}
	return uuid, nil
}

// Stop stops the slot's application (see Pool.Stop) and labels it idle.
// A missing application is already stopped.
func (p *Platform) Stop(ctx context.Context, id string) error {
	if err := p.pool.Stop(ctx, id); err != nil {
		return err
	}
	return gone(p.pool.Label(ctx, id, 0))
}

// Status reports one slot: one call, two when the container is down while
// a bot is assigned (the newest deployment then tells pending from failed).
func (p *Platform) Status(ctx context.Context, id string) (platforms.Resource, error) {
	a, err := p.pool.App(ctx, id)
	if err != nil {
		return platforms.Resource{}, notFound(err)
	}
	return p.resource(ctx, a)
}

// List reports every slot application: one call for the list, plus one for
// each slot whose container is down while a bot is assigned.
func (p *Platform) List(ctx context.Context) ([]platforms.Resource, error) {
	apps, err := p.pool.ListPoolApps(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]platforms.Resource, 0, len(apps))
	for _, a := range apps {
		r, err := p.resource(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Statuses reports the given slots from one list of applications (plus the
// deployment look-ups List makes), instead of one GET per slot.
func (p *Platform) Statuses(ctx context.Context, ids []string) (map[string]platforms.Resource, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	apps, err := p.pool.ListPoolApps(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]platforms.Resource, len(ids))
	for _, a := range apps {
		if !want[a.UUID] {
			continue
		}
		r, err := p.resource(ctx, a)
		if err != nil {
			return nil, err
		}
		out[a.UUID] = r
	}
	return out, nil
}

// resource maps an application's status to a platform state.
func (p *Platform) resource(ctx context.Context, a App) (platforms.Resource, error) {
	r := platforms.Resource{ID: a.UUID, BotID: a.BotID, Detail: a.Status.Raw}
	switch a.Status.State {
	case StateRunning:
		r.State = platforms.StateRunning
	case StateDegraded:
		// Coolify's aggregator says degraded for a restarting or
		// crash-looping container.
		r.State, r.Reason = platforms.StateFailed, ReasonCrashLoop
	case StateExited:
		return p.exited(ctx, a, r)
	default: // starting, restarting, paused, or a state this code does not know
		r.State = platforms.StatePending
	}
	return r, nil
}

// exited tells apart an idle slot, one whose deployment has not started
// the container yet, one whose deployment failed, and one that ran and
// stopped.
func (p *Platform) exited(ctx context.Context, a App, r platforms.Resource) (platforms.Resource, error) {
	r.State = platforms.StateSucceeded
	if a.BotID == 0 {
		return r, nil
	}
	ds, err := p.pool.c.appDeployments(ctx, a.UUID, 1)
	if err != nil {
		return platforms.Resource{}, notFound(err)
	}
	if len(ds) == 0 {
		return r, nil
	}
	d := ds[0]
	switch d.Status {
	case DeploymentQueued, DeploymentInProgress:
		r.State = platforms.StatePending
	case DeploymentFailed:
		r.State, r.Reason, r.Detail = platforms.StateFailed, ReasonDeployFailed, failureMessage(d)
	case DeploymentCancelled:
		r.State, r.Reason = platforms.StateFailed, ReasonDeployCancelled
	}
	return r, nil
}

// notFound adds platforms.ErrNotFound to a Coolify 404.
func notFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %w", platforms.ErrNotFound, err)
	}
	return err
}
