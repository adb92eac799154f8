package ecs

import (
	"strings"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

const stateARN = "arn:aws:ecs:us-east-1:123456789012:task/bots/0123456789abcdef0123456789abcdef"

// botTask is a task of bot 9 on zoom, in the given statuses.
func botTask(last, desired string) ecsapi.Task {
	return ecsapi.Task{
		TaskArn: stateARN, LastStatus: last, DesiredStatus: desired,
		StartedBy: "meeboter-bot-9",
		Tags: []ecsapi.Tag{
			{Key: TagManagedBy, Value: ManagedByValue},
			{Key: TagBotID, Value: "9"},
			{Key: TagMeetingPlatform, Value: "zoom"},
		},
		Containers: []ecsapi.Container{{Name: "zoom-bot"}},
	}
}

// stopped is a task on its way down with a stop code and reason.
func stopped(code string, reason string, containers ...ecsapi.Container) ecsapi.Task {
	t := botTask("STOPPED", "STOPPED")
	t.StopCode, t.StoppedReason = code, reason
	if containers != nil {
		t.Containers = containers
	}
	return t
}

func bot(exit int32, reason string) ecsapi.Container {
	return container("zoom-bot", exit, reason)
}

func container(name string, exit int32, reason string) ecsapi.Container {
	c := ecsapi.Container{Name: name, ExitCode: &exit}
	if reason != "" {
		c.Reason = reason
	}
	return c
}

func TestResourceOf(t *testing.T) {
	t.Parallel()
	const pull = "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found"
	tests := []struct {
		name   string
		task   ecsapi.Task
		state  platforms.ResourceState
		reason string
		detail string // a part of the detail
	}{
		{name: "Provisioning", task: botTask("PROVISIONING", "RUNNING"), state: platforms.StatePending},
		{name: "Pending", task: botTask("PENDING", "RUNNING"), state: platforms.StatePending},
		{name: "Activating", task: botTask("ACTIVATING", "RUNNING"), state: platforms.StatePending},
		{name: "Running", task: botTask("RUNNING", "RUNNING"), state: platforms.StateRunning},
		{name: "Succeeded", task: stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited", bot(0, "")), state: platforms.StateSucceeded},
		{name: "Exited", task: stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited", bot(2, "")),
			state: platforms.StateFailed, reason: ReasonExited, detail: "container zoom-bot exited with code 2"},
		{name: "ExitedNoCode", task: stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited"),
			state: platforms.StateFailed, reason: ReasonExited, detail: "Essential container"},
		{name: "OOM", task: stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited",
			bot(137, "OutOfMemoryError: Container killed due to memory usage")),
			state: platforms.StateFailed, reason: ReasonOOMKilled, detail: "Container killed due to memory usage"},
		{name: "SpotCleanExit", task: stopped(ecsapi.StopCodeSpotInterruption, "Your Spot Task was interrupted.", bot(0, "")),
			state: platforms.StateFailed, reason: ReasonSpotInterrupted, detail: "Spot Task was interrupted"},
		{name: "ImagePull", task: stopped(ecsapi.StopCodeTaskFailedToStart, pull),
			state: platforms.StateFailed, reason: ReasonImagePullFailed, detail: "CannotPullContainerError"},
		{name: "ImagePullInContainer", task: stopped(ecsapi.StopCodeTaskFailedToStart, "Task failed to start", ecsapi.Container{Name: "zoom-bot", Reason: pull}),
			state: platforms.StateFailed, reason: ReasonImagePullFailed, detail: "manifest"},
		{name: "FailedToStart", task: stopped(ecsapi.StopCodeTaskFailedToStart, "ResourceInitializationError: unable to pull secrets"),
			state: platforms.StateFailed, reason: ReasonTaskFailedToStart, detail: "ResourceInitializationError"},
		{name: "StoppingByUser", task: withStop(botTask("RUNNING", "STOPPED"), ecsapi.StopCodeUserInitiated, "Task stopped by user"),
			state: platforms.StateFailed, reason: ReasonTaskStopped, detail: "UserInitiated: Task stopped by user"},
		{name: "StoppedByUserCleanExit", task: stopped(ecsapi.StopCodeUserInitiated, "Stopped by meeboter", bot(0, "")), state: platforms.StateSucceeded},
		{name: "Retired", task: stopped(ecsapi.StopCodeTerminationNotice, "Task retired by AWS"),
			state: platforms.StateFailed, reason: ReasonTaskStopped, detail: "TerminationNotice"},
		{name: "Deprovisioning", task: botTask("DEPROVISIONING", "RUNNING"), state: platforms.StateFailed, reason: ReasonTaskStopped},
		{name: "SidecarFirst", task: stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited",
			container("log-router", 0, ""), bot(1, "")),
			state: platforms.StateFailed, reason: ReasonExited, detail: "zoom-bot exited with code 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, ok := Config{}.resourceOf(tt.task)
			if !ok || r.ID != stateARN || r.BotID != 9 {
				t.Fatalf("resourceOf = %+v, %v; want bot 9's task", r, ok)
			}
			if r.State != tt.state || r.Reason != tt.reason || !strings.Contains(r.Detail, tt.detail) {
				t.Fatalf("resourceOf = %s %q %q, want %s %q with detail containing %q", r.State, r.Reason, r.Detail, tt.state, tt.reason, tt.detail)
			}
		})
	}
}

func withStop(t ecsapi.Task, code string, reason string) ecsapi.Task {
	t.StopCode, t.StoppedReason = code, reason
	return t
}

func TestResourceOf_Owner(t *testing.T) {
	t.Parallel()
	tagged := botTask("RUNNING", "RUNNING")
	tagged.StartedBy = ""
	startedOnly := botTask("RUNNING", "RUNNING")
	startedOnly.Tags = nil
	foreign := botTask("RUNNING", "RUNNING")
	foreign.Tags, foreign.StartedBy = nil, "ecs-svc/123"
	for name, tt := range map[string]struct {
		task  ecsapi.Task
		ours  bool
		botID int64
	}{
		"TagsOnly":      {task: tagged, ours: true, botID: 9},
		"StartedByOnly": {task: startedOnly, ours: true, botID: 9},
		"Foreign":       {task: foreign},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, ok := Config{}.resourceOf(tt.task)
			if ok != tt.ours || ok && r.BotID != tt.botID {
				t.Fatalf("resourceOf = %+v, %v; want ours=%v bot %d", r, ok, tt.ours, tt.botID)
			}
		})
	}
}

func TestResourceOf_ContainerName(t *testing.T) {
	t.Parallel()
	task := stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited",
		container("zoom-bot", 0, ""), container("bot", 3, ""))
	r, _ := Config{ContainerName: "bot"}.resourceOf(task)
	if r.Reason != ReasonExited || !strings.Contains(r.Detail, "container bot") {
		t.Fatalf("with AWS_ECS_CONTAINER_NAME=bot: %+v, want the bot container's exit", r)
	}
}
