package ecs

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// botSpec is the suite's spec for a bot on a meeting platform, with a
// token of its own.
func botSpec(botID int64, meeting string) platforms.DeploySpec {
	spec := platformtest.DefaultSpec(botID)
	spec.MeetingPlatform = meeting
	spec.Env["DOCKER_MEETING_PLATFORM"] = meeting
	spec.Env["MILO_AUTH_TOKEN"] = "mbt_" + strings.Repeat("x", 8) + "-" + spec.Env["BOT_ID"]
	spec.Env["S3_ACCESS_KEY"] = "AKIAS3EXAMPLE"
	spec.Env["S3_SECRET_KEY"] = "s3-secret-value"
	spec.Secrets = []string{"MILO_AUTH_TOKEN", "S3_ACCESS_KEY", "S3_SECRET_KEY"}
	return spec
}

// deploy deploys spec and fails the test on an error.
func (b *bundle) deploy(tb testing.TB, spec platforms.DeploySpec) string {
	tb.Helper()
	arn, err := b.p.Deploy(ctx(tb), spec)
	if err != nil {
		tb.Fatalf("Deploy(bot %d): %v", spec.BotID, err)
	}
	return arn
}

func TestDeploy_RunTaskRequest(t *testing.T) {
	t.Parallel()
	for i, meeting := range []string{"google-meet", "microsoft-teams", "zoom"} {
		t.Run(meeting, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(c *Config) { c.TaskDefSecrets = []string{"S3_ACCESS_KEY", "S3_SECRET_KEY"} })
			spec := botSpec(int64(40+i), meeting)
			arn := b.deploy(t, spec)
			reqs := b.srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d RunTask requests, want 1", len(reqs))
			}
			r := reqs[0]
			checkPlacement(t, r, b.cluster, b.p.cfg.TaskDefinitions[meeting])
			checkOverride(t, r, meeting+"-bot", spec)
			checkTracing(t, r, spec.BotID, meeting)
			if tasks := b.srv.Tasks(b.cluster); !slices.Equal(tasks, []string{arn}) {
				t.Errorf("tasks in the cluster %v, want only %s", tasks, arn)
			}
			if b.logs.contains(spec.Env["MILO_AUTH_TOKEN"]) {
				t.Error("the bot token appears in the logs")
			}
		})
	}
}

func checkPlacement(t *testing.T, r ecstest.RunTaskRequest, cluster, taskDef string) {
	t.Helper()
	if r.Cluster != cluster || r.TaskDefinition != taskDef || r.Count != 1 {
		t.Errorf("cluster %q, task definition %q, count %d; want %q, %q, 1", r.Cluster, r.TaskDefinition, r.Count, cluster, taskDef)
	}
	want := []ecstest.CapacityProviderItem{{CapacityProvider: "FARGATE_SPOT", Weight: 1}}
	if r.LaunchType != "" || !slices.Equal(r.CapacityProviderStrategy, want) {
		t.Errorf("launch type %q, strategy %+v; want none and %+v", r.LaunchType, r.CapacityProviderStrategy, want)
	}
	net := r.NetworkConfiguration
	if net == nil || net.AwsvpcConfiguration == nil {
		t.Fatalf("no awsvpc network configuration: %+v", net)
	}
	vpc := net.AwsvpcConfiguration
	if !slices.Equal(vpc.Subnets, testSubnets) || !slices.Equal(vpc.SecurityGroups, []string{"sg-0123456789abcdef0"}) || vpc.AssignPublicIP != "ENABLED" {
		t.Errorf("awsvpc %+v, want the configured subnets and group, public IP ENABLED", vpc)
	}
}

// checkOverride checks the container override: the bot's environment,
// with its own token, and without the keys the task definition supplies.
func checkOverride(t *testing.T, r ecstest.RunTaskRequest, container string, spec platforms.DeploySpec) {
	t.Helper()
	if r.Overrides == nil || len(r.Overrides.ContainerOverrides) != 1 {
		t.Fatalf("overrides %+v, want one container override", r.Overrides)
	}
	want := maps.Clone(spec.Env)
	delete(want, "S3_ACCESS_KEY")
	delete(want, "S3_SECRET_KEY")
	if got := r.Env(container); !maps.Equal(got, want) {
		t.Errorf("environment of container %s = %v, want %v", container, got, want)
	}
}

func checkTracing(t *testing.T, r ecstest.RunTaskRequest, botID int64, meeting string) {
	t.Helper()
	if want := startedBy(botID); r.StartedBy != want || len(r.StartedBy) > 36 {
		t.Errorf("startedBy %q, want %q (at most 36 characters)", r.StartedBy, want)
	}
	want := []ecstest.Tag{
		{Key: TagManagedBy, Value: ManagedByValue},
		{Key: TagBotID, Value: strings.TrimPrefix(startedBy(botID), StartedByPrefix)},
		{Key: TagMeetingPlatform, Value: meeting},
	}
	if !slices.Equal(r.Tags, want) {
		t.Errorf("tags %+v, want %+v", r.Tags, want)
	}
	checkClientToken(t, r.ClientToken)
}

// checkClientToken checks ECS's rule: 1 to 64 characters in 33..126.
func checkClientToken(t *testing.T, tok string) {
	t.Helper()
	if tok == "" || len(tok) > 64 || strings.ContainsFunc(tok, func(r rune) bool { return r < 33 || r > 126 }) {
		t.Errorf("client token %q breaks ECS's rule of 1-64 characters in 33-126", tok)
	}
}

func TestDeploy_PerBotToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.deploy(t, botSpec(51, "zoom"))
	b.deploy(t, botSpec(52, "zoom"))
	reqs := b.srv.Requests()
	first, second := reqs[0].Env("zoom-bot")["MILO_AUTH_TOKEN"], reqs[1].Env("zoom-bot")["MILO_AUTH_TOKEN"]
	if first != botSpec(51, "zoom").Env["MILO_AUTH_TOKEN"] || second != botSpec(52, "zoom").Env["MILO_AUTH_TOKEN"] {
		t.Fatalf("tokens sent %q and %q, want each bot's own", first, second)
	}
}

func TestDeploy_Settings(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) {
		c.AssignPublicIP = new(false)
		c.CapacityProviders = []string{"FARGATE"}
		c.ContainerName = "bot"
		c.SecurityGroups = nil
	})
	spec := botSpec(61, "google-meet")
	b.deploy(t, spec)
	r := b.srv.Requests()[0]
	vpc := r.NetworkConfiguration.AwsvpcConfiguration
	if vpc.AssignPublicIP != "DISABLED" || len(vpc.SecurityGroups) != 0 {
		t.Errorf("awsvpc %+v, want public IP DISABLED and no security group", vpc)
	}
	if r.Provider() != "FARGATE" || len(r.CapacityProviderStrategy) != 1 {
		t.Errorf("strategy %+v, want FARGATE alone", r.CapacityProviderStrategy)
	}
	if r.Env("bot")["BOT_ID"] != "61" {
		t.Errorf("overrides %+v, want the environment on container bot", r.Overrides)
	}
}

func TestDeploy_UnconfiguredMeetingPlatform(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { delete(c.TaskDefinitions, "zoom") })
	_, err := b.p.Deploy(ctx(t), botSpec(71, "zoom"))
	if err == nil || !strings.Contains(err.Error(), "AWS_ECS_TASK_DEF_ZOOM") {
		t.Fatalf("Deploy of a zoom bot without its task definition: %v; want an error naming AWS_ECS_TASK_DEF_ZOOM", err)
	}
	_, err = b.p.Deploy(ctx(t), botSpec(72, "webex"))
	if err == nil || !strings.Contains(err.Error(), "webex") {
		t.Fatalf("Deploy of a webex bot: %v; want an unknown meeting platform error", err)
	}
	if n := b.srv.Calls("RunTask"); n != 0 {
		t.Fatalf("%d RunTask calls for bots that cannot run", n)
	}
}
