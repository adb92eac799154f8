package coolify_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// TestConformance runs the platform suite on the Coolify adapter against
// the fake, every exchange checked against Coolify's document. Each bot
// gets a slot application made beforehand, as the daemon makes it; the
// hooks play the container (the fake's deployments wait for them).
func TestConformance(t *testing.T) {
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		b := setup(t, coolifytest.Options{Manual: true})
		var n atomic.Int64
		f := b.fake
		return platformtest.Harness{
			Platform:  coolify.NewPlatform(b.pool),
			Capacity:  testConfig(f).BotLimit,
			UnknownID: "a-no-such-application",
			Timeout:   10 * time.Second,
			Spec: func(botID int64) platforms.DeploySpec {
				app, err := b.pool.CreateSlotApp(t.Context(), slotSpec(coolify.GoogleMeet, int(n.Add(1))))
				if err != nil {
					t.Fatalf("create the bot's slot: %v", err)
				}
				spec := platformtest.DefaultSpec(botID)
				spec.Slot = &platforms.Slot{ID: n.Load(), Name: app.Name, AppUUID: app.UUID}
				return spec
			},
			FailReasons: []string{coolify.ReasonDeployFailed, coolify.ReasonCrashLoop},
			MakeRunning: f.FinishDeployment,
			MakeFailed: func(id, reason string) error {
				switch reason {
				case coolify.ReasonDeployFailed:
					return f.FailDeployment(id, "pull access denied")
				case coolify.ReasonCrashLoop:
					if err := f.FinishDeployment(id); err != nil {
						return err
					}
					return f.SetAppStatus(id, "degraded:unhealthy")
				}
				return fmt.Errorf("no way to cause %q", reason)
			},
			MakeSucceeded: func(id string) error {
				if err := f.FinishDeployment(id); err != nil {
					return err
				}
				return f.SetAppStatus(id, "exited")
			},
		}
	})
}

// TestPlatform_Statuses checks the batch form reports the slots asked for
// from one list, and leaves out a slot that vanished.
func TestPlatform_Statuses(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	ctx := t.Context()
	p := coolify.NewPlatform(b.pool)
	var ids []string
	for i := range 3 {
		app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, i+1)))
		spec := platformtest.DefaultSpec(int64(100 + i))
		spec.Slot = &platforms.Slot{AppUUID: app.UUID}
		ids = append(ids, must[string](t)(p.Deploy(ctx, spec)))
	}
	b.fake.DeleteBehindBack(ids[2])
	before := b.fake.Calls()[coolifytest.RouteListApps]
	got := must[map[string]platforms.Resource](t)(p.Statuses(ctx, ids))
	if len(got) != 2 || got[ids[0]].BotID != 100 || got[ids[1]].BotID != 101 {
		t.Fatalf("Statuses = %+v", got)
	}
	if n := b.fake.Calls()[coolifytest.RouteListApps] - before; n != 1 {
		t.Fatalf("%d list calls, want 1", n)
	}
	if _, err := p.Deploy(ctx, platformtest.DefaultSpec(7)); err == nil {
		t.Fatal("Deploy without a slot succeeded")
	}
}
