package kubernetes

import (
	"strings"
	"testing"
	"time"
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
			name: "GHCROrgIsOnGHCR",
			env:  map[string]string{"GHCR_ORG": "acme"},
			want: Config{ImageRegistry: "ghcr.io/acme"},
		},
		{
			name: "GHCROrgWithHost",
			env:  map[string]string{"GHCR_ORG": "ghcr.io/acme/"},
			want: Config{ImageRegistry: "ghcr.io/acme"},
		},
		{
			name: "RegistryWins",
			env:  map[string]string{"GHCR_ORG": "acme", "K8S_IMAGE_REGISTRY": "registry.example.com/bots"},
			want: Config{ImageRegistry: "registry.example.com/bots"},
		},
		{
			name: "All",
			env: map[string]string{
				"K8S_NAMESPACE": "bots", "K8S_IMAGE_REGISTRY": "r.example/x", "K8S_IMAGE_TAG": "v2",
				"K8S_IMAGE_PULL_SECRET": "pull", "K8S_BOT_CPU_REQUEST": "1", "K8S_BOT_CPU_LIMIT": "2",
				"K8S_BOT_MEMORY_REQUEST": "1Gi", "K8S_BOT_MEMORY_LIMIT": "3Gi", "K8S_BOT_SHM_SIZE": "1Gi",
				"K8S_BOT_LIMIT": "12", "K8S_JOB_TTL_SECONDS": "60", "K8S_STOP_GRACE": "45s",
			},
			want: Config{
				Namespace: "bots", ImageRegistry: "r.example/x", ImageTag: "v2", ImagePullSecret: "pull",
				CPURequest: "1", CPULimit: "2", MemoryRequest: "1Gi", MemoryLimit: "3Gi", ShmSize: "1Gi",
				Limit: 12, TTLSecondsAfterFinished: 60, StopGrace: 45 * time.Second,
			},
		},
		{name: "BadLimit", env: map[string]string{"K8S_BOT_LIMIT": "many"}, wantErr: "K8S_BOT_LIMIT"},
		{name: "BadGrace", env: map[string]string{"K8S_STOP_GRACE": "30"}, wantErr: "K8S_STOP_GRACE"},
		{name: "BadTTL", env: map[string]string{"K8S_JOB_TTL_SECONDS": "1e9"}, wantErr: "K8S_JOB_TTL_SECONDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ConfigFromEnv(envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ConfigFromEnv = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestConfig_Defaults(t *testing.T) {
	t.Parallel()
	got := Config{ImageRegistry: "ghcr.io/acme/"}.withDefaults()
	want := Config{
		Namespace: "meeboter", ImageRegistry: "ghcr.io/acme", ImageTag: "latest",
		CPURequest: "500m", CPULimit: "1000m", MemoryRequest: "1Gi", MemoryLimit: "2Gi", ShmSize: "512Mi",
		TTLSecondsAfterFinished: 300, StopGrace: 30 * time.Second,
	}
	if got != want {
		t.Fatalf("withDefaults = %+v, want %+v", got, want)
	}
}

func TestNew_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "NoRegistry", cfg: Config{}, wantErr: "GHCR_ORG"},
		{name: "BadQuantity", cfg: Config{ImageRegistry: "ghcr.io/a", CPULimit: "lots"}, wantErr: "cpu limit"},
		{name: "NegativeLimit", cfg: Config{ImageRegistry: "ghcr.io/a", Limit: -1}, wantErr: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.cfg, &Client{}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New: err = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestNew_NoClient(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{ImageRegistry: "ghcr.io/a"}, nil, nil); err == nil || !strings.Contains(err.Error(), "no client") {
		t.Fatalf("New: err = %v, want no client", err)
	}
}
