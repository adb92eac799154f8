package coolify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
)

func TestPool_CreateSlotApp(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	app := must[coolify.App](t)(b.pool.CreateSlotApp(t.Context(), slotSpec(coolify.GoogleMeet, 1)))
	got, ok := b.fake.App(app.UUID)
	if !ok {
		t.Fatalf("the fake has no application %s", app.UUID)
	}
	if got.Name != "pool-google-meet-001" || got.Image != "ghcr.io/meeboter/meeboter-google-meet-bot:latest" || got.Status != "exited" {
		t.Fatalf("created %+v", got)
	}
	if got.Env["POOL_SLOT_UUID"] != app.UUID || got.Env["MILO_AUTH_TOKEN"] != "mbs_$ecret" || got.Env["BOT_ID"] != "" {
		t.Fatalf("slot env %v", got.Env)
	}
	if len(got.Deployments) != 0 {
		t.Fatalf("creating a slot deployed it: %v", got.Deployments)
	}
	if b.wire.exchanges() != 2 {
		t.Fatalf("%d calls, want create and env", b.wire.exchanges())
	}
}

func TestPool_CreateSlotApp_Refused(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	bad := []coolify.SlotSpec{
		{Name: "pool-zoom-001", MeetingPlatform: coolify.GoogleMeet},
		{Name: "bot-1", MeetingPlatform: coolify.Zoom},
		{Name: "pool-zoom-001", MeetingPlatform: coolify.Zoom, Env: map[string]string{"BOT_ID": "7"}},
	}
	for _, s := range bad {
		if _, err := b.pool.CreateSlotApp(t.Context(), s); err == nil {
			t.Errorf("CreateSlotApp(%+v) succeeded", s)
		}
	}
	if n := b.wire.exchanges(); n != 0 {
		t.Fatalf("a refused spec still made %d calls", n)
	}
}

// TestPool_CreateSlotApp_Create500 checks that a failed create is not sent
// again: Coolify may have made the application before failing.
func TestPool_CreateSlotApp_Create500(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	b.fake.Inject(coolifytest.Fault{Route: coolifytest.RouteCreateApp, Status: 500})
	_, err := b.pool.CreateSlotApp(t.Context(), slotSpec(coolify.Zoom, 1))
	var ae *coolify.APIError
	if !errors.As(err, &ae) || ae.Status != 500 {
		t.Fatalf("err = %v, want the 500", err)
	}
	if n := b.fake.Calls()[coolifytest.RouteCreateApp]; n != 1 {
		t.Fatalf("create sent %d times, want once", n)
	}
}

// TestPool_CreateSlotApp_EnvFails checks that a slot whose env could not be
// written is deleted again rather than left for the sync to find.
func TestPool_CreateSlotApp_EnvFails(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	b.fake.Inject(coolifytest.Fault{Route: coolifytest.RouteBulkEnvs, Status: 500})
	if _, err := b.pool.CreateSlotApp(t.Context(), slotSpec(coolify.Zoom, 2)); err == nil {
		t.Fatal("CreateSlotApp succeeded without its env")
	}
	calls := b.fake.Calls()
	if calls[coolifytest.RouteDeleteApp] != 1 || calls[coolifytest.RouteBulkEnvs] < 2 {
		t.Fatalf("calls %v: want the env retried, then one delete", calls)
	}
}

func TestPool_DeployAndWait(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	ctx := t.Context()
	app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
	dep := must[string](t)(b.pool.Deploy(ctx, app.UUID))
	d := must[coolify.Deployment](t)(b.pool.WaitDeployment(ctx, dep))
	if d.Status != coolify.DeploymentFinished || d.DeploymentUUID != dep {
		t.Fatalf("deployment %+v", d)
	}
	got := must[coolify.App](t)(b.pool.App(ctx, app.UUID))
	if !got.Status.Running() || got.Status.Health != coolify.HealthHealthy {
		t.Fatalf("after the deploy the slot is %q", got.Status.Raw)
	}
	if n := b.fake.Pulls(b.fake.Options().ServerUUID, "ghcr.io/meeboter/meeboter-zoom-bot:latest"); n != 1 {
		t.Fatalf("%d pulls, want 1", n)
	}
}

func TestPool_WaitDeployment_Cancelled(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{Manual: true})
	app := must[coolify.App](t)(b.pool.CreateSlotApp(t.Context(), slotSpec(coolify.Zoom, 1)))
	dep := must[string](t)(b.pool.Deploy(t.Context(), app.UUID))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := b.pool.WaitDeployment(ctx, dep); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
