package ecstest

// State is what DescribeTasks reports for a task in place of kumo's own
// answer, whose tasks never leave RUNNING. Empty members keep the task's
// current value.
type State struct {
	LastStatus    string
	DesiredStatus string
	StopCode      string
	StoppedReason string
	// ExitCode and ContainerReason describe the task's containers.
	ExitCode        *int
	ContainerReason string
}

// The payloads below carry the stop codes and messages ECS gives for each
// cause, after the ECS developer guide's pages on stopped task errors, so
// the adapter is tested against what it will read in production.

// Running is a task whose containers started.
func Running() State { return State{LastStatus: "RUNNING", DesiredStatus: "RUNNING"} }

// Succeeded is a task whose essential container exited 0.
func Succeeded() State { return Exited(0, "") }

// Exited is a task whose essential container exited with code.
func Exited(code int, containerReason string) State {
	return State{
		LastStatus: "STOPPED", DesiredStatus: "STOPPED",
		StopCode: "EssentialContainerExited", StoppedReason: "Essential container in task exited",
		ExitCode: &code, ContainerReason: containerReason,
	}
}

// OOMKilled is a task whose container the kernel killed for memory.
func OOMKilled() State {
	return Exited(137, "OutOfMemoryError: Container killed due to memory usage")
}

// ImagePullFailed is a task that never started because its image could not
// be pulled.
func ImagePullFailed() State {
	const msg = "CannotPullContainerError: pull image manifest has been retried 5 time(s): " +
		"failed to resolve ref ghcr.io/acme/meeboter-google-meet-bot:latest: not found"
	return State{
		LastStatus: "STOPPED", DesiredStatus: "STOPPED",
		StopCode: "TaskFailedToStart", StoppedReason: msg, ContainerReason: msg,
	}
}

// FailedToStart is a task that never started for another reason, such as
// secrets it could not read.
func FailedToStart() State {
	return State{
		LastStatus: "STOPPED", DesiredStatus: "STOPPED", StopCode: "TaskFailedToStart",
		StoppedReason: "ResourceInitializationError: unable to pull secrets or registry auth: " +
			"execution resource retrieval failed: unable to retrieve secret from asm",
	}
}

// SpotInterrupted is a Fargate Spot task whose capacity AWS took back. The
// container got SIGTERM and exited, so an exit code is present too.
func SpotInterrupted() State {
	code := 143
	return State{
		LastStatus: "STOPPED", DesiredStatus: "STOPPED",
		StopCode: "SpotInterruption", StoppedReason: "Your Spot Task was interrupted.", ExitCode: &code,
	}
}

// StoppedByUser is a task someone stopped with StopTask, seen while its
// container is still shutting down: no exit code yet.
func StoppedByUser() State {
	return State{LastStatus: "DEPROVISIONING", DesiredStatus: "STOPPED", StopCode: "UserInitiated", StoppedReason: "Task stopped by user"}
}

// merge applies the non-empty members of s over cur.
func (cur State) merge(s State) State {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&cur.LastStatus, s.LastStatus)
	set(&cur.DesiredStatus, s.DesiredStatus)
	set(&cur.StopCode, s.StopCode)
	set(&cur.StoppedReason, s.StoppedReason)
	set(&cur.ContainerReason, s.ContainerReason)
	if s.ExitCode != nil {
		cur.ExitCode = new(*s.ExitCode)
	}
	return cur
}
