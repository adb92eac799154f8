package coolify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// driver plays the daemon's part with the pool and the store: the calls,
// in order, that deploy a bot into its slot and release the slot. It is
// the protocol the package documentation describes, run for real.
type driver struct {
	st     store.Store
	pool   *coolify.Pool
	plat   *coolify.Platform
	holder string
	pl     []store.PlatformLimit
}

const lease = 10 * time.Minute

// admit admits a bot onto the pool.
func (d *driver) admit(ctx context.Context, botID int64) (store.AdmitResult, error) {
	return d.st.Admit(ctx, store.AdmitParams{BotID: botID, Platforms: d.pl, Now: time.Now()})
}

// deploy runs one admitted bot: lease its slot, give the slot an
// application if it has none, take the image-pull lock unless the image
// is pulled, take a deploy turn, deploy, wait, then hand both locks back
// and mark the slot.
func (d *driver) deploy(ctx context.Context, b store.Bot, slot store.PoolSlot) error {
	if _, err := d.st.ClaimDeploys(ctx, store.ClaimDeploysParams{Holder: d.holder, BotID: b.ID, Now: time.Now(), LeaseFor: lease, Limit: 1}); err != nil {
		return err
	}
	leased, err := d.st.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: d.holder,
		Statuses: []string{store.SlotDeploying}, IDs: []int64{slot.ID}, Now: time.Now(), LeaseFor: lease})
	if err != nil || len(leased) != 1 {
		return fmt.Errorf("lease slot %d: %v (%d)", slot.ID, err, len(leased))
	}
	if slot, err = d.ensureApp(ctx, leased[0]); err != nil {
		return err
	}
	key, err := d.pool.PullKey(slot.MeetingPlatform)
	if err != nil {
		return err
	}
	// The locks' holder is this one deploy: the daemon runs many at once.
	entry := fmt.Sprint("slot-", slot.ID)
	holder := d.holder + "/" + entry
	pulling, err := d.awaitPull(ctx, key, holder)
	if err != nil {
		return err
	}
	if err := d.awaitTurn(ctx, entry, holder); err != nil {
		return err
	}
	werr := d.run(ctx, b, slot)
	if pulling {
		_ = d.st.FinishImagePull(ctx, store.FinishImagePullParams{Key: key, Holder: holder, Pulled: werr == nil, Now: time.Now()})
	}
	_ = d.st.ReleaseDeployTurn(ctx, "coolify", entry, holder)
	to := store.SlotHealthy
	if werr != nil {
		to = store.SlotError
	}
	_, err = d.st.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: slot.ID, Holder: d.holder, To: to, Error: fmt.Sprint(werr), Now: time.Now()})
	return errors.Join(werr, err)
}

func (d *driver) ensureApp(ctx context.Context, slot store.PoolSlot) (store.PoolSlot, error) {
	if slot.ApplicationUUID != "" {
		return slot, nil
	}
	spec := slotSpec(slot.MeetingPlatform, slot.Number)
	app, err := d.pool.CreateSlotApp(ctx, spec)
	if err != nil {
		return slot, err
	}
	return d.st.SetPoolSlotApp(ctx, store.SetPoolSlotAppParams{ID: slot.ID, Holder: d.holder, AppUUID: app.UUID,
		TokenHash: "hash-of-" + spec.Env["MILO_AUTH_TOKEN"] + fmt.Sprint(slot.ID), Now: time.Now()})
}

// awaitPull waits until the image is pulled or this deploy is the one to
// pull it; pulling reports the latter.
func (d *driver) awaitPull(ctx context.Context, key, holder string) (pulling bool, _ error) {
	for {
		p, err := d.st.TryImagePull(ctx, store.ImagePullParams{Key: key, Holder: holder, Now: time.Now(), LeaseFor: lease})
		if err != nil || p.State != store.PullBusy {
			return p.State == store.PullMine, err
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (d *driver) awaitTurn(ctx context.Context, entry, holder string) error {
	for {
		t, err := d.st.AcquireDeployTurn(ctx, store.DeployTurnParams{Scope: "coolify", Entry: entry, Holder: holder,
			Max: d.pool.Config().DeployConcurrency, Now: time.Now(), LeaseFor: lease, WaitFor: lease})
		if err != nil || t.Granted {
			return err
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (d *driver) run(ctx context.Context, b store.Bot, slot store.PoolSlot) error {
	dep, err := d.pool.DeployBot(ctx, slot.ApplicationUUID, b.ID)
	if err != nil {
		return err
	}
	if err := d.st.SetDeployed(ctx, store.DeployedParams{BotID: b.ID, Platform: platforms.Coolify, PlatformID: slot.ApplicationUUID, DeployedBy: d.holder, Now: time.Now()}); err != nil {
		return err
	}
	_, err = d.pool.WaitDeployment(ctx, dep)
	return err
}

// release stops every RELEASING slot's application and makes it idle.
func (d *driver) release(ctx context.Context) error {
	slots, err := d.st.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: d.holder,
		Statuses: []string{store.SlotReleasing}, Now: time.Now(), LeaseFor: lease})
	for _, x := range slots {
		if err := d.plat.Stop(ctx, x.ApplicationUUID); err != nil {
			return err
		}
		if _, err := d.st.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: x.ID, Holder: d.holder, To: store.SlotIdle, Now: time.Now()}); err != nil {
			return err
		}
	}
	return err
}

// TestProtocol runs the pool end to end on each store engine: six Zoom
// bots at once on a fresh server pull the image once, then deploy in
// parallel; once they end and their slots are released, the next bot runs
// in a released slot, with neither a new application nor a new pull.
func TestProtocol(t *testing.T) {
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testProtocol(t, open(t))
		})
	}
}

func testProtocol(t *testing.T, st store.Store) {
	// Deployments long enough to overlap, so running them in parallel
	// shows; a throttle loose enough for the tests' fast polling.
	b := setup(t, coolifytest.Options{PullDuration: 100 * time.Millisecond, StartDuration: 300 * time.Millisecond, RateLimit: 1 << 20})
	ctx := t.Context()
	cfg := b.pool.Config()
	d := &driver{st: st, pool: b.pool, plat: coolify.NewPlatform(b.pool), holder: "daemon-1",
		pl: []store.PlatformLimit{{Name: platforms.Coolify, Limit: cfg.BotLimit + 5, Pool: &store.SlotPool{Max: 8, Name: coolify.FormatSlotName}}}}
	u, err := st.CreateUser(ctx, store.NewUser{Email: "pool@example.test", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	newBot := func() store.Bot {
		bot, err := st.CreateBot(ctx, store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled,
			Meeting: store.Meeting{Platform: coolify.Zoom}}, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return bot
	}
	var bots []store.Bot
	var wg sync.WaitGroup
	for range 6 {
		bot := newBot()
		res := must[store.AdmitResult](t)(d.admit(ctx, bot.ID))
		bots = append(bots, res.Bot)
		wg.Go(func() {
			if err := d.deploy(ctx, res.Bot, *res.Slot); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	server := b.fake.Options().ServerUUID
	if n := b.fake.Pulls(server, zoomImage); n != 1 {
		t.Fatalf("%d pulls of the image for six first deploys, want 1", n)
	}
	if n := b.fake.MaxRunning(server); n != b.fake.Options().ConcurrentBuilds {
		t.Fatalf("at most %d deployments ran at once after the pull, want %d (parallel)", n, b.fake.Options().ConcurrentBuilds)
	}
	for _, bot := range bots {
		if _, err := st.Transition(ctx, store.TransitionParams{BotID: bot.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.release(ctx); err != nil {
		t.Fatal(err)
	}
	created := b.fake.Calls()[coolifytest.RouteCreateApp]
	next := newBot()
	res := must[store.AdmitResult](t)(d.admit(ctx, next.ID))
	if res.Slot.ApplicationUUID == "" {
		t.Fatalf("the next bot got a slot without an application: %+v", res.Slot)
	}
	if err := d.deploy(ctx, res.Bot, *res.Slot); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.Calls()[coolifytest.RouteCreateApp]; n != created {
		t.Fatalf("a warm slot made a new application")
	}
	if n := b.fake.Pulls(server, zoomImage); n != 1 {
		t.Fatalf("%d pulls after a warm start, want still 1", n)
	}
	slot := must[store.PoolSlot](t)(st.GetPoolSlot(ctx, res.Slot.ID))
	if slot.Status != store.SlotHealthy || *slot.AssignedBotID != next.ID {
		t.Fatalf("slot after the warm deploy: %+v", slot)
	}
}
