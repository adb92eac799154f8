package coolify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// skippedMessage is how Coolify says it did not queue a deploy because one
// is already queued or running for the application
// (queue_application_deployment in bootstrap/helpers/applications.php).
const skippedMessage = "Deployment already queued for this commit."

// ErrDeploymentFailed is matched by a *DeploymentError: the deployment
// ended failed or cancelled. The slot is then broken until recovered.
var ErrDeploymentFailed = errors.New("coolify: deployment failed")

// DeploymentError is a deployment that ended without finishing.
type DeploymentError struct {
	DeploymentUUID string
	Status         string // failed or cancelled-by-user
	// Message is Coolify's last error line from the deployment log, when
	// the token may read logs (read:sensitive); else a description.
	Message string
}

// Error says which deployment ended how, and why when Coolify said.
func (e *DeploymentError) Error() string {
	return fmt.Sprintf("coolify: deployment %s %s: %s", e.DeploymentUUID, e.Status, e.Message)
}

// Is matches ErrDeploymentFailed.
func (e *DeploymentError) Is(target error) bool { return target == ErrDeploymentFailed }

// Deploy queues a deployment of the application (POST /deploy?uuid=) and
// returns its uuid. When Coolify skips it because one is already queued,
// its answer names a deployment that does not exist, so the queued one is
// looked up and returned instead (one more call).
func (p *Pool) Deploy(ctx context.Context, uuid string) (string, error) {
	e, err := p.c.deploy(ctx, uuid)
	if err != nil {
		return "", err
	}
	if e.Message == skippedMessage {
		return p.activeDeployment(ctx, uuid)
	}
	if e.DeploymentUUID == "" {
		return "", fmt.Errorf("coolify: deploy %s: %s", uuid, e.Message)
	}
	return e.DeploymentUUID, nil
}

// DeployBot labels a slot's application with the bot it is to run (its
// description, shown in Coolify and read back by Status), then deploys it:
// two calls. It returns the deployment to wait for.
func (p *Pool) DeployBot(ctx context.Context, uuid string, botID int64) (string, error) {
	if err := p.Label(ctx, uuid, botID); err != nil {
		return "", fmt.Errorf("coolify: label slot %s with bot %d: %w", uuid, botID, err)
	}
	return p.Deploy(ctx, uuid)
}

// Start starts the application (POST /applications/{uuid}/start), which in
// Coolify queues a deployment too, and returns the deployment's uuid. A
// skipped start names none; the queued one is looked up.
func (p *Pool) Start(ctx context.Context, uuid string) (string, error) {
	a, err := p.c.start(ctx, uuid)
	if err != nil {
		return "", err
	}
	if a.DeploymentUUID != "" {
		return a.DeploymentUUID, nil
	}
	if a.Message == skippedMessage {
		return p.activeDeployment(ctx, uuid)
	}
	return "", fmt.Errorf("coolify: start %s: %s", uuid, a.Message)
}

// activeDeployment is the application's queued or running deployment, or,
// if it ended meanwhile, its newest.
func (p *Pool) activeDeployment(ctx context.Context, uuid string) (string, error) {
	ds, err := p.c.appDeployments(ctx, uuid, 5)
	if err != nil {
		return "", err
	}
	for _, d := range ds {
		if d.Status == DeploymentQueued || d.Status == DeploymentInProgress {
			return d.DeploymentUUID, nil
		}
	}
	if len(ds) > 0 {
		return ds[0].DeploymentUUID, nil
	}
	return "", fmt.Errorf("coolify: deploy %s: skipped, yet no deployment is listed", uuid)
}

// WaitDeployment follows a deployment (GET /deployments/{uuid}) until it
// finishes, with polls spaced by the poll interval growing to its maximum,
// for at most DeployTimeout or until ctx ends. A failed or cancelled
// deployment is a *DeploymentError. A transient failure of a poll (an
// outage after the client's own retries) is waited out, not returned.
func (p *Pool) WaitDeployment(ctx context.Context, deploymentUUID string) (Deployment, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.DeployTimeout)
	defer cancel()
	poll := newPoller(p.cfg)
	for {
		d, err := p.c.Deployment(ctx, deploymentUUID)
		switch {
		case err == nil && d.Status == DeploymentFinished:
			return d, nil
		case err == nil && (d.Status == DeploymentFailed || d.Status == DeploymentCancelled):
			return d, &DeploymentError{DeploymentUUID: deploymentUUID, Status: d.Status, Message: failureMessage(d)}
		case err != nil && permanent(err):
			return Deployment{}, fmt.Errorf("coolify: wait for deployment %s: %w", deploymentUUID, err)
		case err != nil:
			p.log.Debug("coolify: deployment poll failed; polling on", "deployment", deploymentUUID, "err", err)
		}
		if err := poll.sleep(ctx); err != nil {
			return d, fmt.Errorf("coolify: wait for deployment %s (last %q): %w", deploymentUUID, d.Status, err)
		}
	}
}

// permanent reports errors that another poll cannot cure.
func permanent(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status >= 400 && ae.Status < 500 && ae.Status != 429
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// failureMessage is the last error output in a deployment's log, or a
// description when the log is hidden or empty.
func failureMessage(d Deployment) string {
	var entries []logEntry
	if json.Unmarshal([]byte(d.Logs), &entries) == nil {
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if out := strings.TrimSpace(e.Output); out != "" && e.Type == "stderr" {
				return out
			}
		}
	}
	if d.Status == DeploymentCancelled {
		return "cancelled"
	}
	return "see the deployment's log in Coolify"
}
