package ecs

import (
	"errors"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// TestDeploy_ThrottlingRetried checks that the client's retries take care of
// ECS's ThrottlingException: the deploy succeeds after two throttled calls.
func TestDeploy_ThrottlingRetried(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.Throttle("RunTask", 2)
	arn := b.deploy(t, botSpec(81, "google-meet"))
	if n := b.srv.Calls("RunTask"); n != 3 {
		t.Fatalf("%d RunTask calls, want 2 throttled and 1 that went through", n)
	}
	if tasks := b.srv.Tasks(b.cluster); len(tasks) != 1 || tasks[0] != arn {
		t.Fatalf("tasks %v, want only %s", tasks, arn)
	}
}

// TestDeploy_LostResponse checks the case the client token exists for: the
// task started but the answer was lost, and the client's retry must get the
// same task back instead of starting a second bot in the meeting.
func TestDeploy_LostResponse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.LoseResponses("RunTask", 1)
	arn := b.deploy(t, botSpec(82, "google-meet"))
	reqs := b.srv.Requests()
	if len(reqs) != 2 || reqs[0].ClientToken != reqs[1].ClientToken {
		t.Fatalf("RunTask requests %d, tokens %q; want a retry with the same token", len(reqs), tokens(reqs))
	}
	if tasks := b.srv.Tasks(b.cluster); len(tasks) != 1 || tasks[0] != arn {
		t.Fatalf("tasks %v after a lost answer, want only %s", tasks, arn)
	}
}

func tokens(reqs []ecstest.RunTaskRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.ClientToken
	}
	return out
}

// TestDeploy_SameAttempt checks that a deploy retried by the daemon (same
// spec and attempt) sends the same client token and gets the same task,
// and that a new attempt gets a task of its own.
func TestDeploy_SameAttempt(t *testing.T) {
	t.Parallel()
	for _, attempt := range []string{"attempt-1", ""} {
		t.Run("Attempt"+attempt, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			spec := botSpec(83, "zoom")
			spec.Attempt = attempt
			first, again := b.deploy(t, spec), b.deploy(t, spec)
			reqs := b.srv.Requests()
			if first != again || reqs[0].ClientToken != reqs[1].ClientToken {
				t.Fatalf("retried deploy: tasks %s, %s; tokens %q; want one task and one token", first, again, tokens(reqs))
			}
			next := spec
			next.Attempt = cond(attempt != "", "attempt-2", "")
			next.Env = botSpec(83, "zoom").Env
			next.Env["MILO_AUTH_TOKEN"] = "mbt_a-new-token"
			if arn := b.deploy(t, next); arn == first {
				t.Fatalf("a new attempt got the first attempt's task %s", arn)
			}
			if n := len(b.srv.Tasks(b.cluster)); n != 2 {
				t.Fatalf("%d tasks, want one per attempt", n)
			}
		})
	}
}

func cond[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

// TestDeploy_AttemptConflict checks a reused attempt with another
// environment: ECS refuses the token, and Deploy says which task has it.
func TestDeploy_AttemptConflict(t *testing.T) {
	t.Parallel()
	b := setup(t)
	spec := botSpec(84, "zoom")
	spec.Attempt = "attempt-1"
	first := b.deploy(t, spec)
	spec.Env = botSpec(84, "zoom").Env
	spec.Env["MILO_AUTH_TOKEN"] = "mbt_another-token"
	_, err := b.p.Deploy(ctx(t), spec)
	if !errors.Is(err, ErrAttemptConflict) || !strings.Contains(err.Error(), first) {
		t.Fatalf("Deploy reusing an attempt with a new token: %v; want ErrAttemptConflict naming %s", err, first)
	}
}

// TestDeploy_CapacityFallback checks that a Spot shortage moves the same
// task to on-demand Fargate, with its own client token (the request
// differs, and ECS refuses a token reused with other parameters).
func TestDeploy_CapacityFallback(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.NoCapacity("FARGATE_SPOT")
	arn := b.deploy(t, botSpec(85, "google-meet"))
	reqs := b.srv.Requests()
	if len(reqs) != 2 || reqs[0].Provider() != "FARGATE_SPOT" || reqs[1].Provider() != "FARGATE" {
		t.Fatalf("RunTask asked %d times, of %v; want FARGATE_SPOT then FARGATE", len(reqs), providers(reqs))
	}
	if reqs[0].ClientToken == reqs[1].ClientToken {
		t.Fatal("the fallback reused the client token of the refused request")
	}
	if r, err := b.p.Status(ctx(t), arn); err != nil || r.BotID != 85 {
		t.Fatalf("Status of the on-demand task: %+v, %v", r, err)
	}
	if !b.logs.contains("RESOURCE:FARGATE") {
		t.Error("the failure was not logged")
	}
}

func providers(reqs []ecstest.RunTaskRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Provider()
	}
	return out
}

// TestDeploy_NoCapacityAnywhere checks the error when every provider is
// short: ErrNoCapacity, not platforms.ErrFull, with every failure.
func TestDeploy_NoCapacityAnywhere(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.NoCapacity("")
	_, err := b.p.Deploy(ctx(t), botSpec(86, "google-meet"))
	if !errors.Is(err, ErrNoCapacity) || errors.Is(err, platforms.ErrFull) {
		t.Fatalf("Deploy with no capacity: %v; want ErrNoCapacity and not platforms.ErrFull", err)
	}
	var de *DeployError
	if !errors.As(err, &de) || len(de.Failures) != 2 || de.BotID != 86 {
		t.Fatalf("Deploy error %#v, want a DeployError for bot 86 with a failure per provider", err)
	}
	for i, want := range DefaultCapacityProviders {
		f := de.Failures[i]
		if f.CapacityProvider != want || f.Reason != "RESOURCE:FARGATE" || !strings.HasSuffix(f.ARN, ":cluster/"+b.cluster) {
			t.Errorf("failure %d = %+v, want %s refusing with RESOURCE:FARGATE on the cluster", i, f, want)
		}
	}
	if tasks := b.srv.Tasks(b.cluster); len(tasks) != 0 {
		t.Errorf("tasks %v after a refused deploy", tasks)
	}
}

// TestDeploy_Refused checks that a refusal other than capacity ends the
// deploy at once, on the first provider, with the failure.
func TestDeploy_Refused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.RefuseRunTask("", ecstest.Failure{Reason: "ATTRIBUTE", Detail: "requires attribute ecs.cpu-architecture=arm64"})
	_, err := b.p.Deploy(ctx(t), botSpec(87, "google-meet"))
	var de *DeployError
	if !errors.As(err, &de) || errors.Is(err, ErrNoCapacity) || !strings.Contains(err.Error(), "ecs.cpu-architecture") {
		t.Fatalf("Deploy refused for an attribute: %v; want a DeployError with the detail, not ErrNoCapacity", err)
	}
	if n := b.srv.Calls("RunTask"); n != 1 {
		t.Fatalf("%d RunTask calls; a refusal other than capacity must not try the next provider", n)
	}
}
