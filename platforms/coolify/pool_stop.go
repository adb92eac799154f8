package coolify

import (
	"context"
	"errors"
	"fmt"
)

// Stop stops a slot's application and waits until Coolify reports it
// exited, for at most StopTimeout. Only then may the slot take another bot:
// containers run with Docker's unless-stopped policy, so an old container
// still going down could start again and read the next bot's config.
//
// A deployment still queued or running would start the container after
// the stop, so it is cancelled first. That makes Stop up to four calls
// plus the polls: the newest deployment, its cancel when active, the stop,
// and GET until exited. An application already gone counts as stopped.
func (p *Pool) Stop(ctx context.Context, uuid string) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.StopTimeout)
	defer cancel()
	if err := p.cancelActive(ctx, uuid); err != nil {
		return gone(err)
	}
	if err := p.c.stop(ctx, uuid); err != nil {
		return gone(err)
	}
	poll := newPoller(p.cfg)
	for {
		a, err := p.c.App(ctx, uuid)
		if err != nil && (permanent(err) || errors.Is(err, ErrNotFound)) {
			return gone(err)
		}
		if err == nil && ParseStatus(a.Status).Exited() {
			return nil
		}
		if err := poll.sleep(ctx); err != nil {
			return fmt.Errorf("coolify: stop %s: still %q: %w", uuid, a.Status, err)
		}
	}
}

// cancelActive cancels the newest deployment when it is queued or running.
// Coolify answers 400 when it ended meanwhile, which is what we wanted.
func (p *Pool) cancelActive(ctx context.Context, uuid string) error {
	ds, err := p.c.appDeployments(ctx, uuid, 1)
	if err != nil || len(ds) == 0 {
		return err
	}
	if d := ds[0]; d.Status == DeploymentQueued || d.Status == DeploymentInProgress {
		err := p.c.cancelDeployment(ctx, d.DeploymentUUID)
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == 400 && !errors.Is(err, ErrUnauthorized) {
			return nil
		}
		return err
	}
	return nil
}

// gone turns "not found" into success: a missing application is stopped.
func gone(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
