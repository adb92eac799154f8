// Package platformtest is the conformance suite every platforms.Platform
// adapter passes. Adapters differ in where bots run (processes, Kubernetes
// Jobs, ECS tasks, pool slots) but the daemon above them relies on one
// contract; running the same tests against each adapter keeps that contract
// real instead of a comment on an interface.
//
// An adapter's test calls Run with a constructor that returns a Harness:
//
//	func TestConformance(t *testing.T) {
//		platformtest.Run(t, func(t *testing.T) platformtest.Harness {
//			p := newTestPlatform(t)
//			return platformtest.Harness{Platform: p, Capacity: 5}
//		})
//	}
//
// Adapters that implement platforms.Watcher are watched too. Watch must
// first report the current state of every resource, so a watcher that
// starts late (the suite, or a daemon after a restart) misses nothing.
package platformtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// Harness is one freshly built platform plus the ways a test can push its
// resources through their life. Platforms whose workloads never run in a
// test (a Kubernetes API server without a kubelet, an ECS emulator) rely on
// the hooks to play the part of the missing runtime; a nil hook skips the
// subtests that need it.
type Harness struct {
	// Platform is the adapter under test. Each call of the constructor
	// passed to Run must return an independent one (its own namespace,
	// directory or fake), because subtests run in parallel.
	Platform platforms.Platform
	// Capacity is the limit the platform was configured with; the suite
	// checks that Capacity() reports it.
	Capacity int
	// Spec builds the deploy spec for a bot. Nil uses DefaultSpec.
	Spec func(botID int64) platforms.DeploySpec
	// UnknownID is an identifier the platform never issued, in the form it
	// issues them. Empty uses "meeboter-bot-999999999-missing".
	UnknownID string
	// Timeout bounds how long eventually-consistent checks (a stopped
	// resource disappearing, a pushed change arriving) may take. Zero
	// means 15 seconds.
	Timeout time.Duration

	// MakeRunning makes the resource id run, as its runtime would once the
	// bot process starts.
	MakeRunning func(id string) error
	// MakeFailed makes the resource id fail so that Status reports FAILED
	// with the given reason code. An empty reason asks for any failure;
	// the suite then only requires a non-empty Reason.
	MakeFailed func(id, reason string) error
	// FailReasons lists the reason codes MakeFailed can produce; the suite
	// runs one subtest per code. Empty runs one subtest with reason "".
	FailReasons []string
	// MakeSucceeded makes the resource id finish successfully.
	MakeSucceeded func(id string) error
}

// DefaultSpec is the deploy spec the suite uses when Harness.Spec is nil: a
// Google Meet bot with the environment the bot images expect and its token
// marked secret.
func DefaultSpec(botID int64) platforms.DeploySpec {
	id := strconv.FormatInt(botID, 10)
	return platforms.DeploySpec{
		BotID:           botID,
		MeetingPlatform: "google-meet",
		Env: map[string]string{
			"BOT_ID":                  id,
			"MILO_URL":                "http://127.0.0.1:1",
			"MILO_AUTH_TOKEN":         "token-" + id,
			"DOCKER_MEETING_PLATFORM": "google-meet",
			"NODE_ENV":                "test",
		},
		Secrets:     []string{"MILO_AUTH_TOKEN"},
		MaxDuration: 10 * time.Minute,
	}
}

// Run runs the conformance suite. newPlatform is called once per subtest,
// possibly concurrently, with that subtest's t, so it can register cleanup.
func Run(t *testing.T, newPlatform func(t *testing.T) Harness) {
	t.Helper()
	t.Run("Deploy", func(t *testing.T) { testDeploy(t, setup(t, newPlatform)) })
	t.Run("DeployDistinctIDs", func(t *testing.T) { testDistinctIDs(t, setup(t, newPlatform)) })
	t.Run("DeployCancelled", func(t *testing.T) { testDeployCancelled(t, setup(t, newPlatform)) })
	t.Run("Stop", func(t *testing.T) { testStop(t, setup(t, newPlatform)) })
	t.Run("StopTwice", func(t *testing.T) { testStopTwice(t, setup(t, newPlatform)) })
	t.Run("StopUnknown", func(t *testing.T) { testStopUnknown(t, setup(t, newPlatform)) })
	t.Run("StatusUnknown", func(t *testing.T) { testStatusUnknown(t, setup(t, newPlatform)) })
	t.Run("Capacity", func(t *testing.T) { testCapacity(t, setup(t, newPlatform)) })
	t.Run("Name", func(t *testing.T) { testName(t, setup(t, newPlatform)) })
	t.Run("Running", func(t *testing.T) { testRunning(t, setup(t, newPlatform)) })
	t.Run("Succeeded", func(t *testing.T) { testSucceeded(t, setup(t, newPlatform)) })
	t.Run("Failed", func(t *testing.T) { testFailed(t, setup(t, newPlatform)) })
	t.Run("WatchRunning", func(t *testing.T) { testWatchRunning(t, setup(t, newPlatform)) })
}

// setup marks the subtest parallel and builds its harness with defaults
// filled in.
func setup(t *testing.T, newPlatform func(t *testing.T) Harness) *bundle {
	t.Parallel()
	h := newPlatform(t)
	if h.Platform == nil {
		t.Fatal("platformtest: Harness.Platform is nil")
	}
	if h.Spec == nil {
		h.Spec = DefaultSpec
	}
	if h.UnknownID == "" {
		h.UnknownID = "meeboter-bot-999999999-missing"
	}
	if h.Timeout == 0 {
		h.Timeout = 15 * time.Second
	}
	return &bundle{t: t, h: h, p: h.Platform}
}

// ctx returns a context bounded by the harness timeout so a hung adapter
// fails the subtest instead of the whole test binary.
func (b *bundle) ctx() context.Context {
	ctx, cancel := context.WithTimeout(b.t.Context(), 4*b.h.Timeout)
	b.t.Cleanup(cancel)
	return ctx
}
