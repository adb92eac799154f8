package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMaintainerScripts_Syntax parses every script the packages run with
// the POSIX shell dpkg and rpm use, and with shellcheck when present.
func TestMaintainerScripts_Syntax(t *testing.T) {
	t.Parallel()
	shellcheck, _ := exec.LookPath("shellcheck")
	for name, path := range loadReleaseConfig(t).NFPMs[0].Scripts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			full := filepath.Join(root, path)
			if out, err := exec.Command("sh", "-n", full).CombinedOutput(); err != nil {
				t.Fatalf("sh -n %s: %v\n%s", path, err, out)
			}
			if shellcheck != "" {
				if out, err := exec.Command(shellcheck, "--shell=sh", full).CombinedOutput(); err != nil {
					t.Fatalf("shellcheck %s: %v\n%s", path, err, out)
				}
			}
		})
	}
}

// fakeCommands puts recording stand-ins for the system commands the
// postinstall script calls first on PATH, so the test never creates a
// user or touches /etc; getent answers with getentStatus (2: no such
// user). It returns the PATH and the log of calls.
func fakeCommands(t *testing.T, getentStatus string) (path, log string) {
	t.Helper()
	dir := t.TempDir()
	log = filepath.Join(dir, "calls.log")
	for _, name := range []string{"getent", "useradd", "chown", "chmod", "systemctl"} {
		status := "0"
		if name == "getent" {
			status = getentStatus
		}
		script := "#!/bin/sh\necho \"" + name + " $*\" >>" + log + "\nexit " + status + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir + ":/usr/sbin:/usr/bin:/sbin:/bin", log
}

// TestPostinstall_User checks that installing creates the service's
// system user, with the state directory as its home and no login, and
// that upgrading, with the user there, leaves it alone.
func TestPostinstall_User(t *testing.T) {
	t.Parallel()
	script := filepath.Join(root, loadReleaseConfig(t).NFPMs[0].Scripts["postinstall"])
	tests := []struct {
		name, getent string
		args         []string
		wantUseradd  bool
	}{
		{"DebInstall", "2", []string{"configure", ""}, true},
		{"RPMInstall", "2", []string{"1"}, true},
		{"DebUpgrade", "0", []string{"configure", "1.0.0"}, false},
		{"RPMUpgrade", "0", []string{"2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path, log := fakeCommands(t, tt.getent)
			cmd := exec.Command("sh", append([]string{script}, tt.args...)...)
			cmd.Env = []string{"PATH=" + path}
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("postinstall %v: %v\n%s", tt.args, err, out)
			}
			calls, _ := os.ReadFile(log)
			var useradd string
			for line := range strings.Lines(string(calls)) {
				if strings.HasPrefix(line, "useradd ") {
					useradd = strings.TrimSpace(line)
				}
			}
			if !tt.wantUseradd {
				if useradd != "" {
					t.Fatalf("ran %q although the user exists", useradd)
				}
				return
			}
			for _, want := range []string{"--system", "--user-group", "--home-dir /var/lib/meeboter", "--no-create-home", "nologin", " meeboter"} {
				if !strings.Contains(useradd, want) {
					t.Errorf("useradd call %q lacks %q", useradd, want)
				}
			}
		})
	}
}
