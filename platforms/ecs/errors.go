package ecs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/meeboter/meeboter/platforms"
)

// ErrNoCapacity is wrapped by the error of a Deploy that every capacity
// provider in Config.CapacityProviders refused for want of capacity. It is
// deliberately not platforms.ErrFull, which asks the daemon to retry the
// same platform shortly: a Fargate shortage lasts minutes, so the daemon
// should fail over to the next platform, as for any other deploy error,
// and record the DeployError's failures on the bot.
var ErrNoCapacity = errors.New("no ECS capacity on any capacity provider")

// ErrAttemptConflict is wrapped by the error of a Deploy whose
// DeploySpec.Attempt already started a task with different parameters (ECS
// answers a reused client token with ConflictException). The error names
// the earlier task; the daemon's reconciliation stops it once it is found
// to belong to no live bot. It means the caller reused an Attempt with a
// new Env, which DeploySpec.Attempt rules out.
var ErrAttemptConflict = errors.New("deploy attempt already ran with other parameters")

// Failure is one entry of RunTask's failures[]: ECS declined to start the
// task and said why. The daemon records these on the bot as an event, so
// an operator sees "RESOURCE:FARGATE" rather than a bare "deploy failed".
type Failure struct {
	// CapacityProvider is the provider the task was asked of.
	CapacityProvider string `json:"capacity_provider,omitempty"`
	// ARN is the resource the failure names (the cluster, a task
	// definition), as ECS gives it.
	ARN string `json:"arn,omitempty"`
	// Reason is ECS's reason code or message, e.g. RESOURCE:FARGATE or
	// "Capacity is unavailable at this time...".
	Reason string `json:"reason"`
	// Detail is ECS's further explanation, often empty.
	Detail string `json:"detail,omitempty"`
}

// String reads "<provider> <reason>: <detail>", as in logs and errors.
func (f Failure) String() string {
	s := f.Reason
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	if f.CapacityProvider != "" {
		s = f.CapacityProvider + " " + s
	}
	return s
}

// DeployError is the error of a Deploy that ECS answered with failures[]
// and no task. Use errors.As to read the failures; errors.Is(err,
// ErrNoCapacity) tells a capacity shortage from a refusal that retrying
// elsewhere in the cluster would not cure (a missing task definition, a
// bad subnet).
type DeployError struct {
	BotID    int64
	Failures []Failure
	// NoCapacity is set when every capacity provider was tried and each
	// refused for want of capacity.
	NoCapacity bool
}

// Error lists every failure, so the bot's FATAL detail says what ECS said.
func (e *DeployError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = f.String()
	}
	what := "RunTask failed"
	if e.NoCapacity {
		what = "no capacity"
	}
	return fmt.Sprintf("deploy bot %d: %s: %s", e.BotID, what, strings.Join(parts, "; "))
}

// Unwrap lets errors.Is find ErrNoCapacity.
func (e *DeployError) Unwrap() error {
	if e.NoCapacity {
		return ErrNoCapacity
	}
	return nil
}

// isCapacity reports whether a failure reason means the provider had no
// room for the task, so another provider might. ECS reports placement
// shortages as RESOURCE:<what> (RESOURCE:FARGATE, RESOURCE:CPU, ...) and a
// Fargate shortage in a zone as "Capacity is unavailable at this time".
func isCapacity(reason string) bool {
	return strings.HasPrefix(reason, "RESOURCE:") ||
		strings.Contains(strings.ToLower(reason), "capacity is unavailable")
}

var _ platforms.DetailedError = (*DeployError)(nil)

// Details are the failures ECS reported, for the bot's event.
func (e *DeployError) Details() any { return e.Failures }
