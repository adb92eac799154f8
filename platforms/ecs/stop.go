package ecs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// stopReason is what the ECS console shows as the task's stopped reason.
const stopReason = "Stopped by meeboter"

// Stop stops the task. It is the hard stop: ECS sends the bot SIGTERM and,
// after the task definition's stopTimeout (30 s by default), SIGKILL.
// Asking the bot to leave the call first is the daemon's job and happens
// before Stop. Stopping a task that is already stopped, that ECS has
// forgotten, or that is not a task of this cluster is not an error.
func (p *Platform) Stop(ctx context.Context, id string) error {
	if _, ok := p.cfg.ownTask(id); !ok {
		p.log.DebugContext(ctx, "not a task of this cluster; nothing to stop", "task", id)
		return nil
	}
	_, err := p.api.StopTask(ctx, &ecsapi.StopTaskInput{
		Cluster: p.cfg.Cluster,
		Task:    id,
		Reason:  stopReason,
	})
	if taskNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stop %s: %w", id, err)
	}
	p.log.InfoContext(ctx, "task stopped", "task", id)
	return nil
}

// taskNotFound reports the error ECS gives for a task it does not know: an
// InvalidParameterException saying "The referenced task was not found".
// The exception type alone covers many other mistakes, so the message is
// checked too.
func taskNotFound(err error) bool {
	var apiErr *ecsapi.Error
	return errors.As(err, &apiErr) && apiErr.Code == ecsapi.CodeInvalidParameter &&
		strings.Contains(strings.ToLower(apiErr.Message), "not found")
}
