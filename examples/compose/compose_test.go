// Package compose tests the Docker Compose example without a Docker
// engine: the file is loaded by compose-go, the library `docker compose`
// itself uses (schema validation, interpolation, env files, references),
// and the install's own rules are checked on the result.
package compose

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// load reads compose.yaml the way `docker compose up` would, after the
// documented first step (copying the env file template into place).
func load(tb testing.TB, compose []byte) (*types.Project, error) {
	tb.Helper()
	dir := tb.TempDir()
	env, err := os.ReadFile("meeboter.env.example")
	if err != nil {
		tb.Fatal(err)
	}
	for name, data := range map[string][]byte{"compose.yaml": compose, "meeboter.env": env} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(dir, "compose.yaml")},
		cli.WithWorkingDirectory(dir), cli.WithEnv(nil), cli.WithConsistency(true))
	if err != nil {
		tb.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

func loadExample(tb testing.TB) *types.Project {
	tb.Helper()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := load(tb, data)
	if err != nil {
		tb.Fatalf("docker compose would refuse compose.yaml: %v", err)
	}
	return p
}

func service(tb testing.TB, p *types.Project, name string) types.ServiceConfig {
	tb.Helper()
	s, err := p.GetService(name)
	if err != nil {
		tb.Fatalf("compose.yaml: %v", err)
	}
	return s
}

// TestCompose_StartOrder checks that PostgreSQL is healthy before the
// migration runs, and the migration has succeeded before the daemon starts.
func TestCompose_StartOrder(t *testing.T) {
	t.Parallel()
	p := loadExample(t)
	want := map[string]map[string]string{
		"migrate":  {"postgres": types.ServiceConditionHealthy},
		"meeboter": {"postgres": types.ServiceConditionHealthy, "migrate": types.ServiceConditionCompletedSuccessfully},
	}
	for name, deps := range want {
		s := service(t, p, name)
		for dep, cond := range deps {
			if got := s.DependsOn[dep].Condition; got != cond {
				t.Errorf("%s depends on %s with condition %q, want %q", name, dep, got, cond)
			}
		}
	}
	if r := service(t, p, "migrate").Restart; r != types.RestartPolicyNo {
		t.Errorf("migrate restarts %q; a one-shot must not, or the daemon never starts", r)
	}
	for _, name := range []string{"postgres", "meeboter"} {
		hc := service(t, p, name).HealthCheck
		if hc == nil || hc.Disable || len(hc.Test) < 2 || hc.Test[0] != "CMD" {
			t.Errorf("%s needs an exec-form health check (the conditions above wait on it), got %+v", name, hc)
		}
	}
	if hc := service(t, p, "meeboter").HealthCheck; hc != nil && !slices.Equal(hc.Test[1:3], []string{"/meeboter", "health"}) {
		t.Errorf("meeboter's health check runs %v, want the binary's own /meeboter health (the image has no shell)", hc.Test)
	}
}

// TestCompose_Daemon checks how the daemon runs: the same image as the
// migration, locked down, with somewhere to write, and reachable only on
// the host's loopback.
func TestCompose_Daemon(t *testing.T) {
	t.Parallel()
	p := loadExample(t)
	d, m := service(t, p, "meeboter"), service(t, p, "migrate")
	if d.Image != m.Image || !strings.HasPrefix(d.Image, "ghcr.io/meeboter/meeboter:") {
		t.Errorf("daemon runs %q and migration %q: want one meeboter image", d.Image, m.Image)
	}
	if !slices.Equal(d.Command, types.ShellCommand{"serve"}) || !slices.Equal(m.Command, types.ShellCommand{"migrate"}) {
		t.Errorf("commands %v and %v, want serve and migrate", d.Command, m.Command)
	}
	for _, s := range []types.ServiceConfig{d, m} {
		if !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("%s: want read_only, cap_drop ALL and no-new-privileges", s.Name)
		}
	}
	if !slices.Contains(d.Tmpfs, "/tmp") {
		t.Error("meeboter: the root filesystem is read-only, so /tmp must be a tmpfs")
	}
	// The image sets MEEBOTER_DATA_DIR=/var/lib/meeboter.
	if !slices.ContainsFunc(d.Volumes, func(v types.ServiceVolumeConfig) bool {
		return v.Type == types.VolumeTypeVolume && v.Target == "/var/lib/meeboter" && p.Volumes[v.Source].Name != ""
	}) {
		t.Errorf("meeboter: want a named volume at /var/lib/meeboter, got %+v", d.Volumes)
	}
	for _, port := range d.Ports {
		if port.HostIP != "127.0.0.1" {
			t.Errorf("meeboter publishes %s:%s; keep it on loopback behind a TLS proxy", port.HostIP, port.Published)
		}
	}
}

// TestCompose_Secrets checks the env file: the daemon gets the database
// URL and webhook secret from it, and the URL matches the database the
// postgres service creates.
func TestCompose_Secrets(t *testing.T) {
	t.Parallel()
	p := loadExample(t)
	pg, d := service(t, p, "postgres"), service(t, p, "meeboter")
	env := func(s types.ServiceConfig, k string) string {
		if v := s.Environment[k]; v != nil {
			return *v
		}
		return ""
	}
	if env(d, "MEEBOTER_WEBHOOK_SECRET") == "" {
		t.Error("meeboter gets no MEEBOTER_WEBHOOK_SECRET from meeboter.env")
	}
	u, err := url.Parse(env(d, "DATABASE_URL"))
	if err != nil || u.Scheme != "postgres" {
		t.Fatalf("DATABASE_URL %q: want a postgres:// URL (%v)", env(d, "DATABASE_URL"), err)
	}
	password, _ := u.User.Password()
	checks := []struct{ what, got, want string }{
		{"host", u.Hostname(), pg.Name},
		{"user", u.User.Username(), env(pg, "POSTGRES_USER")},
		{"password", password, env(pg, "POSTGRES_PASSWORD")},
		{"database", strings.TrimPrefix(u.Path, "/"), env(pg, "POSTGRES_DB")},
	}
	for _, c := range checks {
		if c.got == "" || c.got != c.want {
			t.Errorf("DATABASE_URL %s is %q, but the postgres service has %q", c.what, c.got, c.want)
		}
	}
	if env(service(t, p, "migrate"), "DATABASE_URL") != env(d, "DATABASE_URL") {
		t.Error("migrate and meeboter must use the same DATABASE_URL")
	}
}

// TestCompose_Refuses shows the loader catches broken references, so the
// tests above stand on a real validation.
func TestCompose_Refuses(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"UnknownDependency", "      migrate:\n        condition: service_completed_successfully",
			"      migrator:\n        condition: service_completed_successfully", "migrator"},
		{"UndeclaredVolume", "- data:/var/lib/meeboter", "- state:/var/lib/meeboter", "state"},
		{"UnknownKey", "    read_only: true\n    tmpfs:", "    readonly: true\n    tmpfs:", "readonly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			broken := strings.Replace(string(data), tt.old, tt.new, 1)
			if broken == string(data) {
				t.Fatalf("compose.yaml no longer contains %q; update the test", tt.old)
			}
			if _, err := load(t, []byte(broken)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error naming %q", err, tt.want)
			}
		})
	}
}
