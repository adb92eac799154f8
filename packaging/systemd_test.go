package packaging

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const unitPath = "packaging/systemd/meeboter.service"

// unit is a systemd unit file: section name to key to values, in order
// (a key may be given several times).
type unit map[string]map[string][]string

func parseUnit(src string) unit {
	u := unit{}
	section := ""
	for line := range strings.Lines(src) {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			u[section] = map[string][]string{}
		default:
			k, v, _ := strings.Cut(line, "=")
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

// TestSystemdUnit checks the service's contract: its own user, its state
// in /var/lib/meeboter, settings from /etc/meeboter/env, the migration
// first, restarts on failure, and the sandbox.
func TestSystemdUnit(t *testing.T) {
	t.Parallel()
	svc := parseUnit(string(readFile(t, unitPath)))["Service"]
	want := map[string]string{
		"User":                    "meeboter",
		"StateDirectory":          "meeboter",
		"EnvironmentFile":         "-/etc/meeboter/env",
		"ExecStartPre":            "/usr/bin/meeboter migrate",
		"ExecStart":               "/usr/bin/meeboter serve",
		"Restart":                 "on-failure",
		"NoNewPrivileges":         "yes",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"CapabilityBoundingSet":   "",
		"SystemCallFilter":        "@system-service",
	}
	for k, v := range want {
		if vs, ok := svc[k]; !ok || vs[0] != v {
			t.Errorf("[Service] %s=%q, want %q", k, strings.Join(vs, " / "), v)
		}
	}
	// The daemon must find its data where systemd put the state directory.
	if env := strings.Join(svc["Environment"], " "); !strings.Contains(env, "MEEBOTER_DATA_DIR=/var/lib/meeboter") {
		t.Errorf("Environment=%q does not point MEEBOTER_DATA_DIR at the state directory", env)
	}
}

// unitRoot makes a root directory for systemd-analyze holding the unit,
// the binary it runs and the host's own units (the targets it orders
// itself against).
func unitRoot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	units := filepath.Join(dir, "usr/lib/systemd/system")
	if err := os.MkdirAll(filepath.Join(dir, "usr/bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := copyTree(units, "/usr/lib/systemd/system"); err != nil {
		t.Fatalf("copy the host's systemd units: %v", err)
	}
	if err := os.WriteFile(filepath.Join(units, "meeboter.service"), readFile(t, unitPath), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(filepath.Join(dir, "usr/bin/meeboter"), binary(t), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyTree copies the regular files and symbolic links under src to dst.
func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(target, path, 0o644)
		}
		return nil
	})
}

func copyFile(dst, src string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestSystemdUnit_Verify has systemd check the unit: every key known,
// every value parsed, the binary present. Warnings are printed but do not
// change systemd-analyze's exit status, so any output fails the test.
func TestSystemdUnit_Verify(t *testing.T) {
	t.Parallel()
	analyze := tool(t, "systemd-analyze")
	dir := unitRoot(t)
	out, err := exec.Command(analyze, "verify", "--root="+dir, "/usr/lib/systemd/system/meeboter.service").CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// maxExposure bounds systemd's own exposure score of the unit (0 safe to
// 10 unsafe; 1.4 when written). The network access the daemon needs
// accounts for most of what remains.
const maxExposure = 2.0

// TestSystemdUnit_Exposure scores the sandbox with systemd-analyze
// security, so loosening it shows up here.
func TestSystemdUnit_Exposure(t *testing.T) {
	t.Parallel()
	analyze := tool(t, "systemd-analyze")
	dir := unitRoot(t)
	out, err := exec.Command(analyze, "security", "--offline=yes", "--root="+dir, "/usr/lib/systemd/system/meeboter.service").CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for meeboter\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	score, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil || score > maxExposure {
		t.Fatalf("exposure %s, want at most %.1f:\n%s", m[1], maxExposure, out)
	}
	t.Logf("systemd exposure level %.1f", score)
}
