package coolify_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
)

const zoomImage = "ghcr.io/meeboter/meeboter-zoom-bot:latest"

// TestPool_DeploySkipped: Coolify skips a deploy asked for while one is
// queued, and its answer then names a deployment that does not exist;
// Deploy and Start return the one that does.
func TestPool_DeploySkipped(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{Manual: true})
	ctx := t.Context()
	app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
	first := must[string](t)(b.pool.Deploy(ctx, app.UUID))
	again := must[string](t)(b.pool.Deploy(ctx, app.UUID))
	started := must[string](t)(b.pool.Start(ctx, app.UUID))
	if again != first || started != first {
		t.Fatalf("deployments %s, %s, %s; want the one queued", first, again, started)
	}
	if got, _ := b.fake.App(app.UUID); len(got.Deployments) != 1 {
		t.Fatalf("deployments %v, want one", got.Deployments)
	}
}

func TestPool_WaitDeployment_Failed(t *testing.T) {
	t.Parallel()
	const why = "Error response from daemon: pull access denied for ghcr.io/meeboter/meeboter-zoom-bot"
	for _, sensitive := range []bool{true, false} {
		b := setup(t, coolifytest.Options{ReadSensitive: sensitive})
		b.fake.FailDeployments(1, why)
		ctx := t.Context()
		app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
		_, err := b.pool.WaitDeployment(ctx, must[string](t)(b.pool.Deploy(ctx, app.UUID)))
		var de *coolify.DeploymentError
		if !errors.Is(err, coolify.ErrDeploymentFailed) || !errors.As(err, &de) || de.Status != coolify.DeploymentFailed {
			t.Fatalf("err = %v, want a failed deployment", err)
		}
		if sensitive != (de.Message == why) {
			t.Fatalf("with read:sensitive %v the message is %q", sensitive, de.Message)
		}
	}
}

// TestPool_WaitDeployment_Outage: polls failing for longer than the
// client's retries do not end the wait; the deployment's end does.
func TestPool_WaitDeployment_Outage(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{Manual: true})
	ctx := t.Context()
	app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
	dep := must[string](t)(b.pool.Deploy(ctx, app.UUID))
	b.fake.Inject(coolifytest.Fault{Route: coolifytest.RouteGetDeployment, Status: 503, Times: 12})
	done := make(chan error, 1)
	go func() {
		_, err := b.pool.WaitDeployment(ctx, dep)
		done <- err
	}()
	for b.fake.Calls()[coolifytest.RouteGetDeployment] < 12 {
		select {
		case err := <-done:
			t.Fatalf("WaitDeployment ended during the outage: %v", err)
		default:
		}
		waitABit()
	}
	must[struct{}](t)(struct{}{}, b.fake.FinishDeployment(app.UUID))
	if err := <-done; err != nil {
		t.Fatalf("WaitDeployment: %v", err)
	}
}

func TestPool_Stop(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	ctx := t.Context()
	app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
	must[coolify.Deployment](t)(b.pool.WaitDeployment(ctx, must[string](t)(b.pool.Deploy(ctx, app.UUID))))
	for range 2 {
		if err := b.pool.Stop(ctx, app.UUID); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.fake.App(app.UUID); got.Status != "exited" {
			t.Fatalf("Stop returned while the slot is %q", got.Status)
		}
	}
	if err := b.pool.Stop(ctx, "a-missing"); err != nil {
		t.Fatalf("Stop of a missing application: %v", err)
	}
}

// TestPool_Stop_CancelsDeployment: a deployment in flight would start the
// container after the stop, so Stop cancels it first.
func TestPool_Stop_CancelsDeployment(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{Manual: true})
	ctx := t.Context()
	app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
	must[string](t)(b.pool.Deploy(ctx, app.UUID))
	if err := b.pool.Stop(ctx, app.UUID); err != nil {
		t.Fatal(err)
	}
	got, _ := b.fake.App(app.UUID)
	if !slices.Equal(got.Deployments, []string{coolify.DeploymentCancelled}) || got.Status != "exited" {
		t.Fatalf("after Stop: %+v", got)
	}
}

func TestPool_DeletedBehindOurBack(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	ctx := t.Context()
	app := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 1)))
	b.fake.DeleteBehindBack(app.UUID)
	if _, err := b.pool.App(ctx, app.UUID); !errors.Is(err, coolify.ErrNotFound) {
		t.Fatalf("App: %v, want ErrNotFound", err)
	}
	if _, err := b.pool.Deploy(ctx, app.UUID); !errors.Is(err, coolify.ErrNotFound) {
		t.Fatalf("Deploy: %v, want ErrNotFound", err)
	}
	if err := b.pool.Delete(ctx, app.UUID); err != nil {
		t.Fatalf("Delete of a deleted application: %v", err)
	}
}

func TestPool_ListPoolApps(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{})
	ctx := t.Context()
	zoom := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, 3)))
	meet := must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.GoogleMeet, 1)))
	b.fake.AddApp("company-website", "running:healthy")
	b.fake.AddApp("pool-skype-001", "exited")
	if err := b.pool.Label(ctx, zoom.UUID, 42); err != nil {
		t.Fatal(err)
	}
	apps := must[[]coolify.App](t)(b.pool.ListPoolApps(ctx))
	if len(apps) != 2 || apps[0].UUID != zoom.UUID || apps[1].UUID != meet.UUID {
		t.Fatalf("pool apps %+v", apps)
	}
	if apps[0].Slot != (coolify.SlotName{MeetingPlatform: coolify.Zoom, Number: 3}) || apps[0].BotID != 42 || apps[1].BotID != 0 {
		t.Fatalf("pool apps %+v", apps)
	}
	if apps[0].Image != zoomImage || apps[0].CreatedAt.IsZero() || !apps[0].Status.Exited() {
		t.Fatalf("pool app %+v", apps[0])
	}
}

// TestPool_FirstDeployPulls shows what the store's pull lock is for: two
// first deploys of an image running together both pull it; a deploy after
// one finished finds it on the server.
func TestPool_FirstDeployPulls(t *testing.T) {
	t.Parallel()
	b := setup(t, coolifytest.Options{Manual: true})
	ctx := t.Context()
	var apps []string
	for i := range 3 {
		apps = append(apps, must[coolify.App](t)(b.pool.CreateSlotApp(ctx, slotSpec(coolify.Zoom, i+1))).UUID)
	}
	server := b.fake.Options().ServerUUID
	must[string](t)(b.pool.Deploy(ctx, apps[0]))
	must[string](t)(b.pool.Deploy(ctx, apps[1]))
	if n := b.fake.Pulls(server, zoomImage); n != 2 {
		t.Fatalf("%d pulls for two first deploys together, want 2", n)
	}
	must[struct{}](t)(struct{}{}, b.fake.FinishDeployment(apps[0]))
	must[string](t)(b.pool.Deploy(ctx, apps[2]))
	if n := b.fake.Pulls(server, zoomImage); n != 2 {
		t.Fatalf("%d pulls after a deploy on a server holding the image, want still 2", n)
	}
	key := must[string](t)(b.pool.PullKey(coolify.Zoom))
	if key != server+"/zoom/"+zoomImage {
		t.Fatalf("PullKey = %q", key)
	}
}
