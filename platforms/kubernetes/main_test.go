package kubernetes

import (
	"log/slog"
	"os"
	"testing"

	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

// TestMain stops the shared API server, which the first test needing it
// starts.
func TestMain(m *testing.M) {
	code := m.Run()
	kubetest.StopShared()
	os.Exit(code)
}

// testLogger sends the platform's logs to the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}
