package ecs

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// Reason codes for failed tasks, recorded on the FATAL bot. The first two
// are the Kubernetes platform's codes for the same causes, so the daemon
// and dashboards treat them alike whatever ran the bot.
const (
	ReasonImagePullFailed   = "image_pull_failed"    // CannotPullContainerError
	ReasonOOMKilled         = "oom_killed"           // OutOfMemoryError
	ReasonSpotInterrupted   = "spot_interrupted"     // Fargate Spot took the capacity back
	ReasonTaskFailedToStart = "task_failed_to_start" // e.g. ResourceInitializationError
	ReasonExited            = "exited"               // the bot container exited non-zero
	ReasonTaskStopped       = "task_stopped"         // stopped from outside (StopTask, maintenance)
)

// resourceOf maps a described task to the platform-neutral view. ok is
// false for a task that is not meeboter's (neither tagged nor started by
// it), which callers treat as absent.
func (c Config) resourceOf(t ecsapi.Task) (platforms.Resource, bool) {
	botID, platform, ours := owner(t)
	if !ours {
		return platforms.Resource{}, false
	}
	r := platforms.Resource{ID: t.TaskArn, BotID: botID}
	switch {
	case stopping(t):
		v := c.verdict(t, platform)
		r.State, r.Reason, r.Detail = v.State, v.Reason, v.Detail
	case t.LastStatus == "RUNNING":
		r.State = platforms.StateRunning
	default: // PROVISIONING, PENDING, ACTIVATING
		r.State = platforms.StatePending
	}
	return r, true
}

// owner reads the bot id and meeting platform from the task's tags, with
// startedBy as the fallback: either marks the task as meeboter's.
func owner(t ecsapi.Task) (botID int64, platform string, ours bool) {
	for _, tag := range t.Tags {
		switch tag.Key {
		case TagManagedBy:
			ours = ours || tag.Value == ManagedByValue
		case TagBotID:
			botID = parseBotID(tag.Value)
		case TagMeetingPlatform:
			platform = tag.Value
		}
	}
	if by, ok := strings.CutPrefix(t.StartedBy, StartedByPrefix); ok {
		ours = true
		if botID == 0 {
			botID = parseBotID(by)
		}
	}
	return botID, platform, ours
}

// parseBotID reads a positive bot id, or 0 for anything else.
func parseBotID(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// stopping reports whether the task has ended or is on its way down.
// ECS sets desiredStatus STOPPED first and lastStatus STOPPED only after
// the containers are gone, up to a minute later; by then the outcome is
// already known, so both count as finished.
func stopping(t ecsapi.Task) bool {
	if t.DesiredStatus == "STOPPED" {
		return true
	}
	switch t.LastStatus {
	case "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED", "DELETED":
		return true
	}
	return false
}

// verdict says how a stopping task ended. The order matters: the stop code
// names causes (Spot, a failed start) that the exit code would misreport,
// and an image that cannot be pulled also fails the start but has a more
// useful reason of its own.
func (c Config) verdict(t ecsapi.Task, platform string) platforms.Resource {
	stopped := t.StoppedReason
	bot := c.botContainer(t.Containers, platform)
	why := strings.TrimSpace(stopped + " " + bot.Reason)
	switch {
	case t.StopCode == ecsapi.StopCodeSpotInterruption:
		return failed(ReasonSpotInterrupted, stopped)
	case strings.Contains(why, "CannotPullContainerError"):
		return failed(ReasonImagePullFailed, cmp.Or(bot.Reason, stopped))
	case t.StopCode == ecsapi.StopCodeTaskFailedToStart:
		return failed(ReasonTaskFailedToStart, stopped)
	case strings.Contains(why, "OutOfMemoryError"):
		return failed(ReasonOOMKilled, fmt.Sprintf("container %s: %s", bot.Name, cmp.Or(bot.Reason, stopped)))
	case bot.ExitCode != nil && *bot.ExitCode == 0:
		return platforms.Resource{State: platforms.StateSucceeded}
	case bot.ExitCode != nil:
		return failed(ReasonExited, exitDetail(bot))
	case t.StopCode == ecsapi.StopCodeEssentialContainerExited:
		return failed(ReasonExited, stopped)
	}
	return failed(ReasonTaskStopped, strings.TrimSpace(t.StopCode+": "+stopped))
}

// botContainer picks the container running the bot: the one the override
// named, else the first that has exited, else the first.
func (c Config) botContainer(containers []ecsapi.Container, platform string) ecsapi.Container {
	if platform != "" {
		want := c.containerName(platform)
		for _, ct := range containers {
			if ct.Name == want {
				return ct
			}
		}
	}
	for _, ct := range containers {
		if ct.ExitCode != nil {
			return ct
		}
	}
	if len(containers) > 0 {
		return containers[0]
	}
	return ecsapi.Container{}
}

func exitDetail(ct ecsapi.Container) string {
	d := fmt.Sprintf("container %s exited with code %d", ct.Name, *ct.ExitCode)
	if r := ct.Reason; r != "" {
		d += ": " + r
	}
	return d
}

func failed(reason, detail string) platforms.Resource {
	return platforms.Resource{State: platforms.StateFailed, Reason: reason, Detail: strings.Trim(detail, ": ")}
}
