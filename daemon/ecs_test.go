package daemon_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
	"github.com/meeboter/meeboter/store/storetest"
)

// ecsDaemon runs a daemon whose platforms are ECS (kumo behind the
// ecstest layer, which plays the Fargate runtime) with limit 2, then the
// in-process local platform.
func ecsDaemon(t *testing.T) (*daemontest.Daemon, *ecstest.Server) {
	t.Helper()
	srv := ecstest.Start(t)
	cluster := srv.Cluster(t)
	cfg := ecs.Config{Region: "us-east-1", Cluster: cluster, Limit: 2, Subnets: []string{"subnet-0a1b2c3d4e5f60718"},
		TaskDefinitions: map[string]string{"google-meet": srv.RegisterTaskDefinition(t, cluster+"-google-meet", "google-meet-bot")}}
	client, err := ecsapi.New(ecsapi.Options{Region: "us-east-1", Endpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""),
		Backoff:     func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ecs.NewWithAPI(cfg, client, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	local := daemontest.NewInProc(platforms.Local, 4)
	t.Cleanup(func() { _ = local.Close() })
	d := daemontest.Start(t, daemontest.Options{Store: storetest.OpenSQLite(t), Platforms: []platforms.Platform{p, local},
		Config: daemon.Config{WorkerInterval: 100 * time.Millisecond}})
	return d, srv
}

// TestECSEndToEnd: a bot runs as a task with its own token in the
// override; a task stopped by an OOM ends its bot FATAL/oom_killed; leave
// stops the task.
func TestECSEndToEnd(t *testing.T) {
	t.Parallel()
	d, srv := ecsDaemon(t)
	b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	var got *api.Bot
	eventually(t, "the bot has its task", func() bool {
		got, _ = d.Admin.Bots().Get(t.Context(), b.ID)
		return strings.HasPrefix(got.PlatformID, "arn:aws:ecs:")
	})
	if got.DeploymentPlatform != platforms.AWS {
		t.Fatalf("deployed on %s", got.DeploymentPlatform)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || !strings.HasPrefix(reqs[0].Env("google-meet-bot")["MILO_AUTH_TOKEN"], "mbt_") ||
		reqs[0].Env("google-meet-bot")["BOT_ID"] != itoa(b.ID) {
		t.Fatalf("RunTask got %+v", reqs)
	}
	if err := srv.SetState(got.PlatformID, ecstest.OOMKilled()); err != nil {
		t.Fatal(err)
	}
	if ended := botReaches(t, d.Admin, b.ID, api.StatusFatal); ended.EndReason != ecs.ReasonOOMKilled {
		t.Fatalf("ended %s/%s: %s", ended.Status, ended.EndReason, ended.EndDetail)
	}

	c := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	eventually(t, "the second bot has its task", func() bool {
		got, _ = d.Admin.Bots().Get(t.Context(), c.ID)
		return got.PlatformID != ""
	})
	if err := srv.SetState(got.PlatformID, ecstest.Running()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Admin.Bots().Cancel(t.Context(), c.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the task is stopped", func() bool { return srv.Calls("StopTask") > 0 })
}

// TestECSFailsOverWhenFull: when no capacity provider has room, the bot
// goes to the next platform, and its history says what ECS answered.
func TestECSFailsOverWhenFull(t *testing.T) {
	t.Parallel()
	d, srv := ecsDaemon(t)
	srv.NoCapacity("FARGATE_SPOT")
	srv.NoCapacity("FARGATE")
	b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	var got *api.Bot
	eventually(t, "the bot failed over", func() bool {
		got, _ = d.Admin.Bots().Get(t.Context(), b.ID)
		return got.DeploymentPlatform == platforms.Local && got.PlatformID != ""
	})
	events, err := d.Admin.Bots().Events(t.Context(), b.ID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events.Items {
		if e.Type != "DEPLOY_FAILED" {
			continue
		}
		var data struct {
			Platform   string `json:"platform"`
			FailedOver bool   `json:"failedOver"`
			Details    []struct {
				CapacityProvider string `json:"capacity_provider"`
				Reason           string `json:"reason"`
			} `json:"details"`
		}
		if err := json.Unmarshal(e.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.Platform != platforms.AWS || !data.FailedOver || len(data.Details) != 2 || !strings.HasPrefix(data.Details[0].Reason, "RESOURCE:") {
			t.Fatalf("DEPLOY_FAILED %s", e.Data)
		}
		return
	}
	t.Fatalf("no DEPLOY_FAILED event: %+v", events.Items)
}
