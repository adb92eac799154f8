package platformtest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// bundle is what every subtest works with: its t, the harness and the
// platform under test.
type bundle struct {
	t *testing.T
	h Harness
	p platforms.Platform
}

// lastBotID hands out bot ids, so parallel subtests never share one even
// when their platforms share a namespace or directory.
var lastBotID atomic.Int64

func nextBotID() int64 { return 1000 + lastBotID.Add(1) }

// deploy deploys a new bot and stops it when the subtest ends.
func (b *bundle) deploy() (string, int64) {
	b.t.Helper()
	botID := nextBotID()
	id, err := b.p.Deploy(b.ctx(), b.h.Spec(botID))
	if err != nil {
		b.t.Fatalf("Deploy(bot %d): %v", botID, err)
	}
	if id == "" {
		b.t.Fatalf("Deploy(bot %d) returned an empty id", botID)
	}
	b.t.Cleanup(func() { b.stopQuietly(id) })
	return id, botID
}

// stopQuietly runs at cleanup, after t.Context() is done, so it uses its
// own context; a failure here is logged, as the subtest already decided.
func (b *bundle) stopQuietly(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), b.h.Timeout)
	defer cancel()
	if err := b.p.Stop(ctx, id); err != nil {
		b.t.Logf("cleanup Stop(%q): %v", id, err)
	}
}

// status calls Status and fails the subtest on any error.
func (b *bundle) status(id string) platforms.Resource {
	b.t.Helper()
	r, err := b.p.Status(b.ctx(), id)
	if err != nil {
		b.t.Fatalf("Status(%q): %v", id, err)
	}
	return r
}

// eventually polls cond until it reports done or the harness timeout
// passes. cond returns a description of what it last saw, for the failure
// message.
func (b *bundle) eventually(what string, cond func() (bool, string)) {
	b.t.Helper()
	deadline := time.Now().Add(b.h.Timeout)
	for {
		done, seen := cond()
		if done {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: not within %v; last seen: %s", what, b.h.Timeout, seen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitState waits until Status of id reports want.
func (b *bundle) waitState(id string, want platforms.ResourceState) platforms.Resource {
	b.t.Helper()
	var last platforms.Resource
	b.eventually(fmt.Sprintf("Status(%q) = %s", id, want), func() (bool, string) {
		r, err := b.p.Status(b.ctx(), id)
		if err != nil {
			return false, err.Error()
		}
		last = r
		return r.State == want, fmt.Sprintf("%+v", r)
	})
	return last
}

// listed returns the resource with id from List, if present.
func (b *bundle) listed(id string) (platforms.Resource, bool) {
	b.t.Helper()
	rs, err := b.p.List(b.ctx())
	if err != nil {
		b.t.Fatalf("List: %v", err)
	}
	for _, r := range rs {
		if r.ID == id {
			return r, true
		}
	}
	return platforms.Resource{}, false
}

// gone reports whether a Status result means the resource no longer runs.
func gone(r platforms.Resource, err error) bool {
	if errors.Is(err, platforms.ErrNotFound) {
		return true
	}
	return err == nil && finished(r.State)
}

func finished(s platforms.ResourceState) bool {
	return s == platforms.StateSucceeded || s == platforms.StateFailed
}

func live(s platforms.ResourceState) bool {
	return s == platforms.StatePending || s == platforms.StateRunning
}
