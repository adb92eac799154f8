package platformtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// testRunning checks that a resource its runtime started reads RUNNING.
func testRunning(t *testing.T, b *bundle) {
	if b.h.MakeRunning == nil {
		t.Skip("Harness.MakeRunning is nil")
	}
	id, botID := b.deploy()
	if err := b.h.MakeRunning(id); err != nil {
		t.Fatalf("MakeRunning(%q): %v", id, err)
	}
	if r := b.waitState(id, platforms.StateRunning); r.BotID != botID {
		t.Fatalf("Status(%q).BotID = %d, want %d", id, r.BotID, botID)
	}
}

// testSucceeded checks that a resource that finished well reads SUCCEEDED.
func testSucceeded(t *testing.T, b *bundle) {
	if b.h.MakeSucceeded == nil {
		t.Skip("Harness.MakeSucceeded is nil")
	}
	id, _ := b.deploy()
	if err := b.h.MakeSucceeded(id); err != nil {
		t.Fatalf("MakeSucceeded(%q): %v", id, err)
	}
	b.waitState(id, platforms.StateSucceeded)
}

// testFailed runs one subtest per failure reason: Status must report
// FAILED with that reason code, and a Watcher must push the failure, since
// that push is how a bot that can never start becomes FATAL in seconds
// rather than at the next deploy timeout.
func testFailed(t *testing.T, b *bundle) {
	if b.h.MakeFailed == nil {
		t.Skip("Harness.MakeFailed is nil")
	}
	reasons := b.h.FailReasons
	if len(reasons) == 0 {
		reasons = []string{""}
	}
	for _, reason := range reasons {
		name := reason
		if name == "" {
			name = "Any"
		}
		t.Run(name, func(t *testing.T) {
			sub := *b
			sub.t = t
			testFailedReason(t, &sub, reason)
		})
	}
}

func testFailedReason(t *testing.T, b *bundle, reason string) {
	id, _ := b.deploy()
	events := b.watch()
	if err := b.h.MakeFailed(id, reason); err != nil {
		t.Fatalf("MakeFailed(%q, %q): %v", id, reason, err)
	}
	r := b.waitState(id, platforms.StateFailed)
	checkReason(t, r, reason)
	if events != nil {
		checkReason(t, b.waitEvent(events, id, platforms.StateFailed), reason)
	}
}

func checkReason(t *testing.T, r platforms.Resource, want string) {
	t.Helper()
	if want == "" && r.Reason == "" {
		t.Fatalf("failed resource %+v has no Reason", r)
	}
	if want != "" && r.Reason != want {
		t.Fatalf("failed resource %+v: Reason %q, want %q", r, r.Reason, want)
	}
}

// testWatchRunning checks that a Watcher pushes a resource starting to run.
func testWatchRunning(t *testing.T, b *bundle) {
	if b.h.MakeRunning == nil {
		t.Skip("Harness.MakeRunning is nil")
	}
	if _, ok := b.p.(platforms.Watcher); !ok {
		t.Skip("the platform does not implement platforms.Watcher")
	}
	id, botID := b.deploy()
	events := b.watch()
	if err := b.h.MakeRunning(id); err != nil {
		t.Fatalf("MakeRunning(%q): %v", id, err)
	}
	if r := b.waitEvent(events, id, platforms.StateRunning); r.BotID != botID {
		t.Fatalf("watched %+v, want BotID %d", r, botID)
	}
}

// watch starts Watch when the platform implements it and returns the
// channel of pushed resources, or nil. Watch runs in its own goroutine and
// may register after the next change happens, so the suite relies on what
// a daemon restarting also needs: Watch first reports the current state of
// every resource. It must also return once its context ends; the subtest's
// cleanup checks that.
func (b *bundle) watch() <-chan platforms.Resource {
	w, ok := b.p.(platforms.Watcher)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan platforms.Resource, 1024)
	done := make(chan error, 1)
	go func() {
		done <- w.Watch(ctx, func(r platforms.Resource) {
			select {
			case events <- r:
			default: // a slow test must not block the platform
			}
		})
	}()
	b.t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(b.h.Timeout):
			b.t.Errorf("Watch did not return within %v of its context ending", b.h.Timeout)
		}
	})
	return events
}

// waitEvent waits for a pushed resource with the given id and state.
func (b *bundle) waitEvent(events <-chan platforms.Resource, id string, want platforms.ResourceState) platforms.Resource {
	b.t.Helper()
	timeout := time.After(b.h.Timeout)
	var seen []string
	for {
		select {
		case r := <-events:
			if r.ID == id && r.State == want {
				return r
			}
			seen = append(seen, fmt.Sprintf("%+v", r))
		case <-timeout:
			b.t.Fatalf("Watch did not push %s for %q within %v; pushed: %v", want, id, b.h.Timeout, seen)
		}
	}
}
