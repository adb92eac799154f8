package daemon_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

var threePlatforms = []string{meetURL, teamsURL, zoomURL}

// checkPool requires what every pool run must keep: never more slots than
// the maximum, no bot in a slot of another meeting platform, no bot in
// two slots, slot names that say their platform, and one pull per image.
func checkPool(t *testing.T, ps *poolSetup, most int64, slots []api.PoolSlot) {
	t.Helper()
	if most > int64(ps.poolMax) {
		t.Errorf("%d slots existed at once; COOLIFY_POOL_MAX is %d", most, ps.poolMax)
	}
	if n := ps.containers.mismatch.Load(); n > 0 {
		t.Errorf("%d bots ran in a slot of another meeting platform", n)
	}
	if n := ps.containers.doubled.Load(); n > 0 {
		t.Errorf("%d times a bot ran in two slots at once", n)
	}
	checkSlotNames(t, slots)
	for _, mp := range []string{"google-meet", "microsoft-teams", "zoom"} {
		image := "ghcr.io/meeboter/meeboter-" + mp + "-bot:latest"
		if n := ps.fake.Pulls(ps.fake.Options().ServerUUID, image); n > 1 {
			t.Errorf("%s was pulled %d times", image, n)
		}
	}
}

// TestCoolifyThirtyBotsSixSlots: thirty bots of three meeting platforms
// against COOLIFY_POOL_MAX=6 queue, reuse the slots of their own platform
// (far fewer applications are made than bots run) and all end DONE.
func TestCoolifyThirtyBotsSixSlots(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ps := newPoolSetup(t, 6, 6, coolifytest.Options{})
		st := open(t)
		most := watchSlots(t, st)
		d := ps.start(t, st)
		var urls []string
		for i := range 30 {
			urls = append(urls, threePlatforms[i%3])
		}
		allEndDone(t, d.Admin, createMany(t, d.Admin, urls))
		slots := slotsSettle(t, d.Admin)
		checkPool(t, ps, most.Load(), slots)
		if n := ps.containers.bots.Load(); n != 30 {
			t.Errorf("%d containers found their bot, want 30", n)
		}
		if made := ps.fake.Calls()[coolifytest.RouteCreateApp]; made >= 30 {
			t.Errorf("%d applications made for 30 bots: slots were not reused", made)
		}
	})
}

// multiPostgres opens n stores on one fresh PostgreSQL schema, the first
// with an outage switch; it skips without PostgreSQL.
func multiPostgres(t *testing.T, n int) ([]store.Store, *storetest.Outage) {
	t.Helper()
	if os.Getenv(storetest.EnvPostgresURL) == "" {
		t.Skip(storetest.EnvPostgresURL + " is not set")
	}
	cfg := storetest.PostgresConfig(t)
	o := &storetest.Outage{}
	first := cfg
	first.WrapConnector = o.Wrap
	stores := []store.Store{storetest.OpenConfig(t, first)}
	for range n - 1 {
		stores = append(stores, storetest.OpenConfig(t, cfg))
	}
	return stores, o
}

// TestCoolifyThreeDaemonsRace: three daemons on one PostgreSQL, each with
// its own Coolify client, take 200 bots created at once through all of
// them: the pool never exceeds its maximum, no slot runs two bots, no bot
// gets a slot of another platform, each image is pulled once, all end DONE.
func TestCoolifyThreeDaemonsRace(t *testing.T) {
	t.Parallel()
	stores, _ := multiPostgres(t, 3)
	ps := newPoolSetup(t, 12, 12, coolifytest.Options{})
	ps.containers.callFor = 100 * time.Millisecond
	most := watchSlots(t, stores[0])
	lb := newBalancer(t)
	var ds []*daemontest.Daemon
	for _, st := range stores {
		d := ps.startBehind(t, st, lb.srv.URL)
		lb.add(d.URL)
		ds = append(ds, d)
	}
	var urls []string
	for i := range 200 {
		urls = append(urls, threePlatforms[i%3])
	}
	ids := make([]int64, 0, len(urls))
	for i, d := range ds { // each daemon takes a third of the creates, at once
		part := urls[i*len(urls)/3 : (i+1)*len(urls)/3]
		ids = append(ids, createMany(t, d.Admin, part)...)
	}
	allEndDone(t, ds[0].Admin, ids)
	checkPool(t, ps, most.Load(), slotsSettle(t, ds[0].Admin))
}

// TestCoolifyDaemonDiesMidDeploy: a daemon that dies (its database cut
// off, so it can neither finish nor clean up) while a slot deploys loses
// its leases, and another daemon takes the deploy over: the bot ends DONE
// on its slot and the slot is IDLE again.
func TestCoolifyDaemonDiesMidDeploy(t *testing.T) {
	t.Parallel()
	stores, outage := multiPostgres(t, 2)
	ps := newPoolSetup(t, 4, 4, coolifytest.Options{PullDuration: 1500 * time.Millisecond})
	ps.deployLease = 3 * time.Second
	lb := newBalancer(t)
	dying := ps.startBehind(t, stores[0], lb.srv.URL)
	lb.add(dying.URL)
	b := createBot(t, dying.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}})
	eventually(t, "the first daemon deploying the slot", func() bool {
		for _, uuid := range ps.fake.Apps() {
			if a, _ := ps.fake.App(uuid); len(a.Deployments) > 0 {
				return true
			}
		}
		return false
	})
	outage.Down()
	lb.markDown(dying.URL)
	other := ps.startBehind(t, stores[1], lb.srv.URL)
	lb.add(other.URL)
	done := waitStatus(t, other.Admin, b.ID, api.StatusDone, api.StatusFatal)
	if done.Status != api.StatusDone || done.DeploymentPlatform != platforms.Coolify {
		t.Fatalf("bot ended %s/%s on %s: %s", done.Status, done.EndReason, done.DeploymentPlatform, done.EndDetail)
	}
	slots := slotsSettle(t, other.Admin)
	if len(slots) != 1 || slots[0].Name != "pool-zoom-001" {
		t.Fatalf("slots: %+v", slots)
	}
	// What the dead daemon held runs out: no deploy turn is held for good.
	eventually(t, "no deploy turn left held", func() bool {
		ts, err := stores[1].ListDeployTurns(context.Background(), "coolify")
		for _, turn := range ts {
			if turn.LeaseUntil.After(time.Now()) {
				return false
			}
		}
		return err == nil
	})
}
