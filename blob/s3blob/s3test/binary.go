// Package s3test runs a throwaway S3 server for tests: versitygw, an
// S3-compatible gateway that keeps buckets as directories, started on a
// loopback port with its data in a temporary directory. Tests of the S3
// store then speak real S3 (SigV4, XML errors, pagination, multipart
// uploads, presigned URLs) to a real server, not to a fake.
//
// The binary is built once by scripts/s3-server.sh. Tests skip when it is
// missing, unless MEEBOTER_REQUIRE_S3=1, as in CI, where a missing binary
// fails the test instead of silently testing less.
package s3test

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Version is the versitygw release scripts/s3-server.sh builds.
const Version = "v1.8.0"

// ErrNoBinary means the versitygw binary was not found.
var ErrNoBinary = errors.New("versitygw not found; run scripts/s3-server.sh and set MEEBOTER_S3_SERVER_BIN to the path it prints (or put versitygw on PATH)")

// BinPath returns the versitygw binary: $MEEBOTER_S3_SERVER_BIN, else
// versitygw on PATH, else where scripts/s3-server.sh builds it,
// ${XDG_CACHE_HOME:-$HOME/.cache}/meeboter/versitygw/<Version>/versitygw.
func BinPath() (string, error) {
	if p := os.Getenv("MEEBOTER_S3_SERVER_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: MEEBOTER_S3_SERVER_BIN: %v", ErrNoBinary, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	home, _ := os.UserHomeDir()
	base := cmp.Or(os.Getenv("XDG_CACHE_HOME"), filepath.Join(home, ".cache"))
	p := filepath.Join(base, "meeboter", "versitygw", Version, "versitygw")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w (looked in $PATH and %s)", ErrNoBinary, p)
	}
	return p, nil
}

// Required reports whether a missing server must fail tests rather than
// skip them (MEEBOTER_REQUIRE_S3=1).
func Required() bool { return os.Getenv("MEEBOTER_REQUIRE_S3") == "1" }

// SkipOrFail ends the test because the server is unavailable: a skip
// normally, a failure when Required.
func SkipOrFail(tb testing.TB, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("MEEBOTER_REQUIRE_S3=1: %v", err)
	}
	tb.Skipf("skipping: %v", err)
}
