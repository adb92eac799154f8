package ecs

import (
	"reflect"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr string
	}{
		{name: "Empty", env: map[string]string{}, want: Config{}},
		{
			name: "Original",
			env: map[string]string{
				"AWS_REGION": "eu-west-1", "AWS_ECS_CLUSTER": "meeboter",
				"AWS_ECS_TASK_DEF_GOOGLE_MEET": "meeboter-google-meet-bot", "AWS_ECS_TASK_DEF_MICROSOFT_TEAMS": "teams:3",
				"AWS_ECS_TASK_DEF_ZOOM": "arn:aws:ecs:eu-west-1:123456789012:task-definition/zoom:7",
				"AWS_ECS_SUBNETS":       "subnet-a, subnet-b,", "AWS_ECS_SECURITY_GROUPS": "sg-1",
				"AWS_ECS_ASSIGN_PUBLIC_IP": "false", "AWS_BOT_LIMIT": "25",
			},
			want: Config{
				Region: "eu-west-1", Cluster: "meeboter",
				TaskDefinitions: map[string]string{
					"google-meet": "meeboter-google-meet-bot", "microsoft-teams": "teams:3",
					"zoom": "arn:aws:ecs:eu-west-1:123456789012:task-definition/zoom:7",
				},
				Subnets: []string{"subnet-a", "subnet-b"}, SecurityGroups: []string{"sg-1"},
				AssignPublicIP: new(false), Limit: 25,
			},
		},
		{
			name: "New",
			env: map[string]string{
				"AWS_ECS_CAPACITY_PROVIDERS": "FARGATE", "AWS_ECS_CONTAINER_NAME": "bot",
				"AWS_ECS_TASK_DEF_SECRETS": "S3_ACCESS_KEY,S3_SECRET_KEY",
			},
			want: Config{CapacityProviders: []string{"FARGATE"}, ContainerName: "bot", TaskDefSecrets: []string{"S3_ACCESS_KEY", "S3_SECRET_KEY"}},
		},
		{
			name: "EndpointOfECS",
			env:  map[string]string{"AWS_ENDPOINT_URL_ECS": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL": "http://other", "AWS_USE_FIPS_ENDPOINT": "true"},
			want: Config{Endpoint: "http://127.0.0.1:4566"},
		},
		{name: "EndpointOfAll", env: map[string]string{"AWS_ENDPOINT_URL": "https://vpce.example"}, want: Config{Endpoint: "https://vpce.example"}},
		{
			name: "EndpointsIgnored",
			env:  map[string]string{"AWS_ENDPOINT_URL_ECS": "http://127.0.0.1:4566", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
			want: Config{},
		},
		{
			name: "FIPS", env: map[string]string{"AWS_REGION": "us-east-2", "AWS_USE_FIPS_ENDPOINT": "true"},
			want: Config{Region: "us-east-2", Endpoint: "https://ecs-fips.us-east-2.amazonaws.com"},
		},
		{name: "BadFIPS", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "yes please"}, wantErr: "AWS_USE_FIPS_ENDPOINT"},
		{name: "BadLimit", env: map[string]string{"AWS_BOT_LIMIT": "ten"}, wantErr: "AWS_BOT_LIMIT"},
		{name: "BadPublicIP", env: map[string]string{"AWS_ECS_ASSIGN_PUBLIC_IP": "ENABLED"}, wantErr: "AWS_ECS_ASSIGN_PUBLIC_IP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ConfigFromEnv(envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ConfigFromEnv = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func validConfig() Config {
	return Config{Region: "eu-west-1", TaskDefinitions: map[string]string{"zoom": "zoom"}, Subnets: []string{"subnet-a"}}
}

func TestConfig_Defaults(t *testing.T) {
	t.Parallel()
	got := validConfig().withDefaults()
	if got.Cluster != "default" || !*got.AssignPublicIP || !reflect.DeepEqual(got.CapacityProviders, []string{"FARGATE_SPOT", "FARGATE"}) {
		t.Fatalf("withDefaults = %+v", got)
	}
	if got.containerName("zoom") != "zoom-bot" {
		t.Fatalf("default container %q, want zoom-bot", got.containerName("zoom"))
	}
}

// TestConfig_Copied checks that the platform keeps its own copy: changing
// the caller's Config afterwards changes nothing.
func TestConfig_Copied(t *testing.T) {
	t.Parallel()
	cfg := validConfig()
	public := true
	cfg.AssignPublicIP = &public
	p, err := NewWithAPI(cfg, testClient(t, "http://127.0.0.1:1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Subnets[0], cfg.TaskDefinitions["zoom"], public = "changed", "changed", false
	got := p.Config()
	if got.Subnets[0] != "subnet-a" || got.TaskDefinitions["zoom"] != "zoom" || !*got.AssignPublicIP {
		t.Fatalf("the platform's config followed the caller's changes: %+v", got)
	}
}

func TestNew_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(*Config)
		wantErr string
	}{
		{name: "NoRegion", change: func(c *Config) { c.Region = "" }, wantErr: "AWS_REGION"},
		{name: "NoTaskDefinition", change: func(c *Config) { c.TaskDefinitions = nil }, wantErr: "AWS_ECS_TASK_DEF_GOOGLE_MEET"},
		{name: "UnknownMeetingPlatform", change: func(c *Config) { c.TaskDefinitions["webex"] = "x" }, wantErr: "webex"},
		{name: "NoSubnet", change: func(c *Config) { c.Subnets = nil }, wantErr: "AWS_ECS_SUBNETS"},
		{name: "NegativeLimit", change: func(c *Config) { c.Limit = -1 }, wantErr: "AWS_BOT_LIMIT"},
		{name: "BadEndpoint", change: func(c *Config) { c.Endpoint = "localhost:4566" }, wantErr: "AWS_ENDPOINT_URL_ECS"},
		{name: "TokenFromTaskDef", change: func(c *Config) { c.TaskDefSecrets = []string{"MILO_AUTH_TOKEN"} }, wantErr: "AWS_ECS_TASK_DEF_SECRETS"},
		{name: "ProviderTwice", change: func(c *Config) { c.CapacityProviders = []string{"FARGATE", "FARGATE"} }, wantErr: "AWS_ECS_CAPACITY_PROVIDERS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := validConfig()
			tt.change(&cfg)
			_, err := NewWithAPI(cfg, testClient(t, "http://127.0.0.1:1"), nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewWithAPI: err = %v, want one naming %q", err, tt.wantErr)
			}
			if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New: err = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}
