package daemon_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// BenchmarkCoolifyWarmSlot times a bot on a warm idle slot (its
// application made and its image pulled): from the create request to
// DEPLOYING (the answer: admission took the slot in the request's
// transaction) and to deployed (the daemon labelled the slot, queued its
// deployment, and saw it finish on the fake Coolify, whose container
// start takes 10 ms). It also counts the Coolify calls each bot costs,
// deploy and release, leaving out the periodic listing of applications,
// which does not grow with bots.
func BenchmarkCoolifyWarmSlot(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) { benchWarmSlot(b, open(b)) })
	}
}

func benchWarmSlot(b *testing.B, st store.Store) {
	ps := newPoolSetup(b, 1, 1, coolifytest.Options{})
	ps.containers.callFor = 50 * time.Millisecond
	d := ps.start(b, st)
	ctx := context.Background()
	warm := func() {
		id := createBot(b, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}}).ID
		deployedAndReleased(b, d.Admin, id)
	}
	warm() // makes the slot's application and pulls the image
	before := ps.fake.Calls()
	var toDeploying, toDeployed time.Duration
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		bot, err := d.Admin.Bots().Create(ctx, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: zoomURL}})
		if err != nil || bot.Status != api.StatusDeploying {
			b.Fatalf("create: %v, %+v", err, bot)
		}
		toDeploying += time.Since(start)
		waitSlotDeployed(b, d.Admin, bot.ID)
		toDeployed += time.Since(start)
		lat = append(lat, time.Since(start))
		b.StopTimer()
		deployedAndReleased(b, d.Admin, bot.ID)
		b.StartTimer()
	}
	b.StopTimer()
	calls := 0
	for route, n := range ps.fake.Calls() {
		if route != coolifytest.RouteListApps {
			calls += n - before[route]
		}
	}
	b.ReportMetric(float64(toDeploying.Microseconds())/1000/float64(b.N), "ms-to-DEPLOYING")
	b.ReportMetric(float64(toDeployed.Microseconds())/1000/float64(b.N), "ms-to-deployed")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms-to-deployed")
	b.ReportMetric(float64(lat[len(lat)*9/10].Microseconds())/1000, "p90-ms-to-deployed")
	b.ReportMetric(float64(calls)/float64(b.N), "coolify-calls/bot")
}

func waitSlotDeployed(tb testing.TB, c *api.Client, id int64) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := c.Bots().Get(context.Background(), id)
		if err != nil {
			tb.Fatal(err)
		}
		if got.PlatformID != "" {
			return
		}
		if got.Status.Terminal() || time.Now().After(deadline) {
			tb.Fatalf("bot %d is %s/%s without a deploy: %s", id, got.Status, got.EndReason, got.EndDetail)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// deployedAndReleased waits for the bot's deploy and its end (its
// container runs the sandbox bot through a short call), then until its
// slot is idle again.
func deployedAndReleased(tb testing.TB, c *api.Client, id int64) {
	waitSlotDeployed(tb, c, id)
	eventually(tb, "the bot's end", func() bool {
		got, err := c.Bots().Get(context.Background(), id)
		if err != nil {
			tb.Fatal(err)
		}
		return got.Status.Terminal()
	})
	eventually(tb, "the slot idle", func() bool {
		slots, err := c.PoolSlots(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range slots {
			if s.Status != "IDLE" {
				return false
			}
		}
		return true
	})
}
