// Package kubetest runs a throwaway Kubernetes control plane (etcd and
// kube-apiserver, nothing else) for tests, and stands in for the parts
// that are missing: it creates the pods a Job controller would and writes
// the statuses a kubelet would. That lets the Kubernetes adapter be tested
// against a real API server (validation, RBAC, watches, pagination)
// without a cluster or containers.
//
// The binaries are built once by scripts/kube-binaries.sh. Tests skip when
// they are missing, unless MEEBOTER_REQUIRE_KUBE=1, as in CI, where a
// missing binary fails the test instead of silently testing less.
package kubetest

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Version is the Kubernetes version the binaries are built from; it
// matches the client-go version in go.mod.
const Version = "v1.37.2"

// ErrNoBinaries means kube-apiserver or etcd was not found.
var ErrNoBinaries = errors.New("kube-apiserver and etcd not found; run scripts/kube-binaries.sh (or set MEEBOTER_KUBE_BIN)")

// BinDir returns the directory holding kube-apiserver and etcd:
// $MEEBOTER_KUBE_BIN, else the cache directory scripts/kube-binaries.sh
// builds into, ${XDG_CACHE_HOME:-$HOME/.cache}/meeboter/kube/<Version>.
func BinDir() (string, error) {
	dir := os.Getenv("MEEBOTER_KUBE_BIN")
	if dir == "" {
		home, _ := os.UserHomeDir()
		base := cmp.Or(os.Getenv("XDG_CACHE_HOME"), filepath.Join(home, ".cache"))
		dir = filepath.Join(base, "meeboter", "kube", Version)
	}
	for _, name := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", fmt.Errorf("%w (looked in %s)", ErrNoBinaries, dir)
		}
	}
	return dir, nil
}

// Required reports whether missing binaries must fail tests rather than
// skip them (MEEBOTER_REQUIRE_KUBE=1).
func Required() bool { return os.Getenv("MEEBOTER_REQUIRE_KUBE") == "1" }

// SkipOrFail ends the test because the control plane is unavailable:
// a skip normally, a failure when Required.
func SkipOrFail(tb testing.TB, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("MEEBOTER_REQUIRE_KUBE=1: %v", err)
	}
	tb.Skipf("skipping: %v", err)
}
