package ecs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// TestNew_FromEnvironment takes the daemon's path: ConfigFromEnv and New
// with the default credential chain, pointed at the emulator only through
// AWS_ENDPOINT_URL_ECS and static credentials in the environment. It sets
// process environment, so it cannot run in parallel.
func TestNew_FromEnvironment(t *testing.T) {
	srv := ecstest.Start(t)
	cluster := srv.Cluster(t)
	empty := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_ECS":        srv.URL,
		"AWS_ACCESS_KEY_ID":           "AKIDTEST",
		"AWS_SECRET_ACCESS_KEY":       "test-secret",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_REGION":                  testRegion,
		"AWS_ECS_CLUSTER":             cluster,
		"AWS_ECS_TASK_DEF_ZOOM":       srv.RegisterTaskDefinition(t, cluster+"-zoom", "zoom-bot"),
		"AWS_ECS_SUBNETS":             "subnet-0a1b2c3d4e5f60718",
		"AWS_BOT_LIMIT":               "3",
	} {
		t.Setenv(k, v)
	}
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	p, err := New(cfg, testLogger(t, &syncBuffer{}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if p.Capacity() != 3 || p.Name() != platforms.AWS {
		t.Fatalf("Capacity %d, Name %q; want 3 and %q", p.Capacity(), p.Name(), platforms.AWS)
	}
	arn, err := p.Deploy(ctx(t), botSpec(5, "zoom"))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if !strings.Contains(arn, ":task/"+cluster+"/") || len(srv.Requests()) != 1 {
		t.Fatalf("Deploy = %s with %d requests to the emulator", arn, len(srv.Requests()))
	}
	if r, err := p.Status(ctx(t), arn); err != nil || r.BotID != 5 {
		t.Fatalf("Status: %+v, %v", r, err)
	}
}
