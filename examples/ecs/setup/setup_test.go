package main

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs"
	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ecstest.StopShared()
	os.Exit(code)
}

// TestSetup registers the example task definitions on the emulator, then
// runs a bot of each meeting platform with the settings setup printed: the
// files decode into the SDK's request with no unknown member, and their
// container names are the ones the platform puts the bot's environment on.
func TestSetup(t *testing.T) {
	t.Parallel()
	srv := ecstest.Start(t)
	client := awsecs.New(awsecs.Options{
		Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""),
	})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cluster := srv.Cluster(t) // a name no other test uses
	var out bytes.Buffer
	o := options{Dir: "..", Cluster: cluster, Org: "Acme-Corp", Tag: "v2", Account: "123456789012", Region: "eu-west-1"}
	if err := setup(ctx, client, o, &out); err != nil {
		t.Fatalf("setup: %v", err)
	}
	env := parseEnv(t, out.String())
	env["AWS_ECS_SUBNETS"] = "subnet-0123456789abcdef0"
	cfg, err := ecs.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("ConfigFromEnv of setup's output %q: %v", out.String(), err)
	}
	api, err := ecsapi.New(ecsapi.Options{Region: "eu-west-1", Endpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ecs.NewWithAPI(cfg, api, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("NewWithAPI: %v", err)
	}
	for i, meeting := range []string{"google-meet", "microsoft-teams", "zoom"} {
		spec := platforms.DeploySpec{BotID: int64(i + 1), MeetingPlatform: meeting, Env: map[string]string{"BOT_ID": "1", "MILO_AUTH_TOKEN": "mbt_x"}}
		if _, err := p.Deploy(ctx, spec); err != nil {
			t.Fatalf("Deploy(%s): %v", meeting, err)
		}
		req := srv.Requests()[i]
		if got := req.Env(meeting + "-bot"); !maps.Equal(got, spec.Env) {
			t.Errorf("%s: environment on container %s-bot = %v, want the bot's", meeting, meeting, got)
		}
	}
}

func parseEnv(t *testing.T, s string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for line := range strings.Lines(s) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			t.Fatalf("setup printed %q, not KEY=value", line)
		}
		env[k] = v
	}
	return env
}

func TestReadTaskDefinition(t *testing.T) {
	t.Parallel()
	o := options{Org: "Acme-Corp", Tag: "v2", Account: "123456789012", Region: "eu-west-1"}
	in, err := readTaskDefinition("../taskdef-zoom.json", o)
	if err != nil {
		t.Fatal(err)
	}
	c := in.ContainerDefinitions[0]
	if aws.ToString(c.Image) != "ghcr.io/acme-corp/meeboter-zoom-bot:v2" || aws.ToString(in.ExecutionRoleArn) != "arn:aws:iam::123456789012:role/meeboter-bot-execution" ||
		c.LogConfiguration.Options["awslogs-region"] != "eu-west-1" || len(c.Secrets) != 2 || aws.ToString(in.Cpu) != "512" {
		t.Fatalf("task definition decoded as %+v, container %+v", in, c)
	}
	bad := t.TempDir() + "/taskdef.json"
	if err := os.WriteFile(bad, []byte(`{"family":"x","containerDefinition":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readTaskDefinition(bad, o); err == nil || !strings.Contains(err.Error(), "containerDefinition") {
		t.Fatalf("a misspelt member: %v, want an error naming it", err)
	}
}

func TestRun_Flags(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	code := run(t.Context(), nil, func(string) string { return "" }, &bytes.Buffer{}, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "-org") || !strings.Contains(stderr.String(), "-region") {
		t.Fatalf("run with nothing set: code %d, %q; want 2 naming -org and -region", code, stderr.String())
	}
}
