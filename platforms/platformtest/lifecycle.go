package platformtest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/meeboter/meeboter/platforms"
)

// testDeploy checks that a deployed bot is visible at once through Status
// and List. "At once" matters: the daemon records the id and may ask for
// its status right away, and a not-found answer there would read as a
// vanished resource.
func testDeploy(t *testing.T, b *bundle) {
	id, botID := b.deploy()
	r := b.status(id)
	if r.ID != id || r.BotID != botID {
		t.Fatalf("Status(%q) = %+v, want ID %q and BotID %d", id, r, id, botID)
	}
	if !live(r.State) {
		t.Fatalf("Status(%q).State = %s right after Deploy, want PENDING or RUNNING", id, r.State)
	}
	lr, ok := b.listed(id)
	if !ok {
		t.Fatalf("List does not include %q right after Deploy", id)
	}
	if lr.BotID != botID {
		t.Fatalf("List entry for %q has BotID %d, want %d", id, lr.BotID, botID)
	}
}

// testDistinctIDs checks that two bots never share a resource id, which
// is how the daemon tells their resources apart.
func testDistinctIDs(t *testing.T, b *bundle) {
	id1, bot1 := b.deploy()
	id2, bot2 := b.deploy()
	if id1 == id2 {
		t.Fatalf("two deploys returned the same id %q", id1)
	}
	if r := b.status(id1); r.BotID != bot1 {
		t.Fatalf("Status(%q).BotID = %d, want %d", id1, r.BotID, bot1)
	}
	if r := b.status(id2); r.BotID != bot2 {
		t.Fatalf("Status(%q).BotID = %d, want %d", id2, r.BotID, bot2)
	}
}

// testDeployCancelled checks that Deploy gives up on a cancelled context
// with an error wrapping context.Canceled, and leaves nothing running: a
// daemon shutting down must not leak bots it never recorded.
func testDeployCancelled(t *testing.T, b *bundle) {
	ctx, cancel := context.WithCancel(b.ctx())
	cancel()
	botID := nextBotID()
	id, err := b.p.Deploy(ctx, b.h.Spec(botID))
	if id != "" {
		b.t.Cleanup(func() { b.stopQuietly(id) })
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Deploy with a cancelled context: id %q, err %v; want an error wrapping context.Canceled", id, err)
	}
	rs, err := b.p.List(b.ctx())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	for _, r := range rs {
		if r.BotID == botID && live(r.State) {
			t.Fatalf("a cancelled Deploy left a live resource: %+v", r)
		}
	}
}

// testStop checks that a stopped resource stops counting as live, both
// through Status and through List.
func testStop(t *testing.T, b *bundle) {
	id, _ := b.deploy()
	if err := b.p.Stop(b.ctx(), id); err != nil {
		t.Fatalf("Stop(%q): %v", id, err)
	}
	b.eventually(fmt.Sprintf("Status(%q) gone after Stop", id), func() (bool, string) {
		r, err := b.p.Status(b.ctx(), id)
		return gone(r, err), fmt.Sprintf("%+v, err %v", r, err)
	})
	b.eventually(fmt.Sprintf("List without live %q after Stop", id), func() (bool, string) {
		r, ok := b.listed(id)
		return !ok || !live(r.State), fmt.Sprintf("%+v", r)
	})
}

// testStopTwice checks that Stop is idempotent: the daemon retries stops
// and several workers may stop the same bot.
func testStopTwice(t *testing.T, b *bundle) {
	id, _ := b.deploy()
	for i := range 2 {
		if err := b.p.Stop(b.ctx(), id); err != nil {
			t.Fatalf("Stop(%q) call %d: %v", id, i+1, err)
		}
	}
}

// testStopUnknown checks that stopping something that is not there is
// not an error.
func testStopUnknown(t *testing.T, b *bundle) {
	if err := b.p.Stop(b.ctx(), b.h.UnknownID); err != nil {
		t.Fatalf("Stop(%q) of an unknown id: %v", b.h.UnknownID, err)
	}
}

// testStatusUnknown checks the ErrNotFound sentinel, which the daemon uses
// to tell a vanished resource from a platform outage.
func testStatusUnknown(t *testing.T, b *bundle) {
	_, err := b.p.Status(b.ctx(), b.h.UnknownID)
	if !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("Status(%q) of an unknown id: err %v, want platforms.ErrNotFound", b.h.UnknownID, err)
	}
}

func testCapacity(t *testing.T, b *bundle) {
	if got := b.p.Capacity(); got != b.h.Capacity {
		t.Fatalf("Capacity() = %d, want the configured %d", got, b.h.Capacity)
	}
}

func testName(t *testing.T, b *bundle) {
	if b.p.Name() == "" {
		t.Fatal("Name() is empty")
	}
}
