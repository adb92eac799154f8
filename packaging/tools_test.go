// Package packaging tests what ships meeboter: the goreleaser config and
// the packages it builds, the container image's Dockerfile, the systemd
// unit and maintainer scripts, and the daemon under the conditions they
// impose (read-only root, no writable home).
package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// root is the repository, where goreleaser runs and the files it packages
// are found.
const root = ".."

// EnvRequire makes a missing tool (goreleaser, systemd-analyze) fail the
// tests that need it instead of skipping them, as CI sets it.
const EnvRequire = "MEEBOTER_REQUIRE_PACKAGING"

// TestMain removes the binary built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// tool finds a command on PATH or in the Go bin directory (where CI
// installs goreleaser), skipping the test when it is missing, or failing
// it when EnvRequire is set.
func tool(tb testing.TB, name string) string {
	tb.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv(EnvRequire) == "1" {
		tb.Fatalf("%s=1 but %s is not installed", EnvRequire, name)
	}
	tb.Skipf("skipping: %s is not installed (set %s=1 to fail instead)", name, EnvRequire)
	return ""
}

// built is the meeboter binary, compiled once per test binary.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// binary returns the path of a meeboter binary built from this tree, in
// a directory any user can read and run from (the read-only tests run it
// as another user when they run as root).
func binary(tb testing.TB) string {
	tb.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "meeboter-bin-"); built.err != nil {
			return
		}
		if built.err = os.Chmod(built.dir, 0o755); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "meeboter")
		cmd := exec.Command("go", "build", "-o", built.path, "./cmd/meeboter")
		cmd.Dir = root // default settings, so the build cache of go vet and go test serves it
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = &buildError{err: err, out: string(out)}
		}
	})
	if built.err != nil {
		tb.Fatalf("build meeboter: %v", built.err)
	}
	return built.path
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// readFile reads a file of the repository.
func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
