package ecs

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// Deploy runs the bot's task and returns its ARN without waiting for it to
// start. It asks each capacity provider in turn and moves to the next only
// when ECS reports no capacity; any other refusal ends the deploy at once
// with a *DeployError, and a shortage on every provider ends it with a
// *DeployError wrapping ErrNoCapacity. Every failures[] entry is logged
// and carried in the error.
func (p *Platform) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	taskDef, err := p.cfg.taskDefinition(spec.MeetingPlatform)
	if err != nil {
		return "", fmt.Errorf("deploy bot %d: %w", spec.BotID, err)
	}
	if spec.BotID <= 0 {
		return "", fmt.Errorf("deploy bot %d: bot id must be positive", spec.BotID)
	}
	attempt := cmp.Or(spec.Attempt, specAttempt(spec))
	var failures []Failure
	for _, provider := range p.cfg.CapacityProviders {
		if err := ctx.Err(); err != nil {
			return "", fmt.Errorf("deploy bot %d: %w", spec.BotID, err)
		}
		in := p.runTaskInput(spec, taskDef, provider, clientToken(spec.BotID, attempt, provider))
		arn, refused, err := p.runTask(ctx, spec.BotID, provider, in)
		if err != nil {
			return "", err
		}
		if arn != "" {
			p.log.InfoContext(ctx, "task started", "bot_id", spec.BotID, "task", arn,
				"capacity_provider", provider, "task_definition", taskDef)
			return arn, nil
		}
		failures = append(failures, refused...)
		if !allCapacity(refused) {
			return "", &DeployError{BotID: spec.BotID, Failures: failures}
		}
		p.log.InfoContext(ctx, "no capacity; trying the next capacity provider", "bot_id", spec.BotID, "capacity_provider", provider)
	}
	return "", &DeployError{BotID: spec.BotID, Failures: failures, NoCapacity: true}
}

// runTask makes one RunTask call. It returns the task ARN, or the failures
// ECS gave instead of a task, or an error for a call that did not get an
// answer worth walking on (throttled past the client's retries,
// cancelled, denied).
func (p *Platform) runTask(ctx context.Context, botID int64, provider string, in *ecsapi.RunTaskInput) (string, []Failure, error) {
	out, err := p.api.RunTask(ctx, in)
	var apiErr *ecsapi.Error
	isAPI := errors.As(err, &apiErr)
	switch {
	case isAPI && apiErr.Code == ecsapi.CodeConflict:
		return "", nil, fmt.Errorf("deploy bot %d: %w (earlier tasks %v): %w", botID, ErrAttemptConflict, apiErr.ResourceIDs, err)
	case isAPI && isCapacity(apiErr.Message):
		// A Fargate shortage sometimes comes as an error, not a failure.
		f := Failure{CapacityProvider: provider, Reason: apiErr.Code, Detail: apiErr.Message}
		p.logFailures(ctx, botID, []Failure{f})
		return "", []Failure{f}, nil
	case err != nil:
		return "", nil, fmt.Errorf("deploy bot %d: run task: %w", botID, err)
	}
	failures := make([]Failure, len(out.Failures))
	for i, f := range out.Failures {
		failures[i] = Failure{CapacityProvider: provider, ARN: f.Arn, Reason: f.Reason, Detail: f.Detail}
	}
	p.logFailures(ctx, botID, failures)
	if len(out.Tasks) > 0 && out.Tasks[0].TaskArn != "" {
		return out.Tasks[0].TaskArn, nil, nil
	}
	if len(failures) == 0 {
		return "", nil, fmt.Errorf("deploy bot %d: run task returned neither a task nor a failure", botID)
	}
	return "", failures, nil
}

// logFailures logs what the original server dropped: why ECS would not
// start the task. The request itself is never logged, since its override
// holds the bot's token.
func (p *Platform) logFailures(ctx context.Context, botID int64, failures []Failure) {
	for _, f := range failures {
		p.log.WarnContext(ctx, "run task refused", "bot_id", botID, "capacity_provider", f.CapacityProvider,
			"failure_reason", f.Reason, "failure_detail", f.Detail, "failure_arn", f.ARN)
	}
}

func allCapacity(failures []Failure) bool {
	for _, f := range failures {
		if !isCapacity(f.Reason) && !isCapacity(f.Detail) {
			return false
		}
	}
	return len(failures) > 0
}
