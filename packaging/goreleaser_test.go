package packaging

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestGoreleaser_Check has goreleaser validate goreleaser.yaml, as a
// release would before building anything.
func TestGoreleaser_Check(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(tool(t, "goreleaser"), "check")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}
}

// snapshotConfig writes goreleaser.yaml with two changes, into dir: the
// output goes to dir/dist instead of the tree, and only this machine's
// Linux target is built, which keeps a cold build to one compile. All
// else (ldflags, archives, packages, image) is the release's own.
func snapshotConfig(t *testing.T, dir string) string {
	t.Helper()
	var cfg map[string]any
	if err := yaml.Unmarshal(readFile(t, "goreleaser.yaml"), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["dist"] = filepath.Join(dir, "dist")
	for _, b := range cfg["builds"].([]any) {
		b.(map[string]any)["goos"] = []string{"linux"}
		b.(map[string]any)["goarch"] = []string{runtime.GOARCH}
	}
	for _, d := range cfg["dockers_v2"].([]any) {
		d.(map[string]any)["platforms"] = []string{"linux/" + runtime.GOARCH}
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "goreleaser.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// dockerBuilder reports whether images can be built here: docker with the
// buildx plugin and a reachable engine.
func dockerBuilder() (bool, string) {
	if _, err := exec.LookPath("docker"); err != nil {
		return false, "no docker command"
	}
	if out, err := exec.Command("docker", "buildx", "version").CombinedOutput(); err != nil {
		return false, "no docker buildx: " + strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		return false, "no Docker engine: " + strings.TrimSpace(string(out))
	}
	return true, ""
}

// snapshot is the output of one snapshot release.
type snapshot struct {
	dist   string
	images bool // whether the image was built too
}

// runSnapshot runs `goreleaser release --snapshot` on the narrowed config:
// the binary, the archive, the deb and rpm, and the image when a builder
// is available.
func runSnapshot(t *testing.T) snapshot {
	t.Helper()
	bin := tool(t, "goreleaser")
	if testing.Short() {
		t.Skip("skipping in -short mode: a snapshot release compiles the binary with the release flags")
	}
	dir := t.TempDir()
	args := []string{"release", "--snapshot", "--clean", "--config", snapshotConfig(t, dir)}
	images, why := dockerBuilder()
	if !images {
		t.Logf("building no image (%s): the Dockerfile is checked by TestDockerfile only", why)
		args = append(args, "--skip=docker")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return snapshot{dist: filepath.Join(dir, "dist"), images: images}
}

// glob returns the one file of the snapshot matching pattern.
func (s snapshot) glob(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(s.dist, pattern))
	if len(m) != 1 {
		t.Fatalf("want one %s in the snapshot, got %v", pattern, m)
	}
	return m[0]
}

// TestGoreleaser_Snapshot builds a snapshot release and checks what it
// holds: a binary that knows its version, an archive with the operator's
// files, and a deb installing the binary, the unit and the settings file.
func TestGoreleaser_Snapshot(t *testing.T) {
	t.Parallel()
	s := runSnapshot(t)
	version := checkBinaryVersion(t, s.glob(t, "meeboter_linux_"+runtime.GOARCH+"*/meeboter"))
	checkArchive(t, s.glob(t, "meeboter_*_linux_"+runtime.GOARCH+".tar.gz"))
	checkDeb(t, s.glob(t, "meeboter_*_"+runtime.GOARCH+".deb"))
	checkRPM(t, s.glob(t, "meeboter-*.rpm"))
	if s.images {
		checkImage(t, version)
	}
}

// checkRPM lists the rpm's files with rpm, when this machine has it.
func checkRPM(t *testing.T, path string) {
	t.Helper()
	rpm, err := exec.LookPath("rpm")
	if err != nil {
		t.Logf("built %s; no rpm command to list it", filepath.Base(path))
		return
	}
	out, err := exec.Command(rpm, "-qlp", path).CombinedOutput()
	if err != nil {
		t.Fatalf("rpm -qlp %s: %v\n%s", path, err, out)
	}
	for _, want := range []string{"/usr/bin/meeboter", "/usr/lib/systemd/system/meeboter.service", "/etc/meeboter/env"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("%s lacks %s:\n%s", filepath.Base(path), want, out)
		}
	}
}

// checkBinaryVersion runs `meeboter version`: the ldflags must have set the
// snapshot's version, which is also what the image's binary reports, since
// the Dockerfile copies this very file.
func checkBinaryVersion(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	var v struct{ Version, Commit, Date string }
	if err := json.Unmarshal(out, &v); err != nil || !strings.Contains(v.Version, "SNAPSHOT") {
		t.Fatalf("version %s (%v): want the snapshot version from the ldflags, not %q", out, err, v.Version)
	}
	return v.Version
}

func checkArchive(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	files, err := readTarGz(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, want := range []string{"meeboter", "README.md", "packaging/systemd/meeboter.service", "packaging/env/meeboter.env",
		"examples/kubernetes/base/kustomization.yaml", "examples/compose/compose.yaml", "examples/compose/meeboter.env.example"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s lacks %s", filepath.Base(path), want)
		}
	}
	for name := range files {
		if strings.HasSuffix(name, "_test.go") {
			t.Errorf("%s ships the test %s", filepath.Base(path), name)
		}
	}
}

func checkDeb(t *testing.T, path string) {
	t.Helper()
	d, err := readDeb(path)
	if err != nil {
		t.Fatal(err)
	}
	bin := d.data["./usr/bin/meeboter"]
	if bin.mode != 0o755 || string(bin.head) != "\x7fELF" {
		t.Errorf("/usr/bin/meeboter: mode %v, starts %q; want an executable ELF binary", bin.mode, bin.head)
	}
	same := []struct{ inDeb, src string }{
		{"./usr/lib/systemd/system/meeboter.service", unitPath},
		{"./etc/meeboter/env", "packaging/env/meeboter.env"},
	}
	for _, f := range same {
		if !d.data[f.inDeb].equal(readFile(t, f.src)) {
			t.Errorf("%s is not %s", f.inDeb, f.src)
		}
	}
	if m := d.data["./etc/meeboter/env"].mode; m != 0o640 {
		t.Errorf("/etc/meeboter/env has mode %v, want 0640: it holds the database password", m)
	}
	if c := string(d.control["./conffiles"].content); !strings.Contains(c, "/etc/meeboter/env\n") {
		t.Errorf("conffiles %q: /etc/meeboter/env must be a conffile, so upgrades keep the operator's settings", c)
	}
	scripts := loadReleaseConfig(t).NFPMs[0].Scripts
	for member, script := range map[string]string{"./postinst": "postinstall", "./prerm": "preremove", "./postrm": "postremove"} {
		if !d.control[member].equal(readFile(t, scripts[script])) {
			t.Errorf("%s is not %s", member, scripts[script])
		}
	}
	if p, dep := d.controlField("Package"), d.controlField("Depends"); p != "meeboter" || dep != "passwd" {
		t.Errorf("control: Package %q Depends %q, want meeboter and passwd (useradd)", p, dep)
	}
}

// checkImage runs the snapshot image: its binary is the released one, and
// it runs as the image's user with the health check and port declared.
func checkImage(t *testing.T, version string) {
	t.Helper()
	ref := "ghcr.io/meeboter/meeboter:" + version + "-" + runtime.GOARCH
	out, err := exec.Command("docker", "run", "--rm", ref, "version", "--json").Output()
	if err != nil || !strings.Contains(string(out), `"version":"`+version+`"`) {
		t.Fatalf("docker run %s version: %v\n%s", ref, err, out)
	}
	out, err = exec.Command("docker", "image", "inspect", "--format", "{{json .Config}}", ref).Output()
	if err != nil {
		t.Fatalf("docker image inspect %s: %v", ref, err)
	}
	var cfg struct {
		User         string
		ExposedPorts map[string]any
		Healthcheck  struct{ Test []string }
	}
	if err := json.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.ExposedPorts["3000/tcp"]; cfg.User != "65532:65532" || !ok || len(cfg.Healthcheck.Test) < 3 {
		t.Errorf("image config %s: want user 65532:65532, port 3000 and a health check", out)
	}
}
