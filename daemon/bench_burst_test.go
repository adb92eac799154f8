package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store/storetest"
)

// BenchmarkBurst: 1,000 concurrent creates against a capacity of 100. It
// reports the time until every create has answered and 100 bots are
// deployed, and how many capacity samples ever exceeded the limit.
func BenchmarkBurst(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			const bots, limit = 1000, 100
			var settle time.Duration
			var violations int64
			for b.Loop() {
				d, plat := benchDaemon(b, open, limit)
				var over atomic.Int64
				stop := watchLimit(d.Store, limit, &over)
				start := time.Now()
				ids := createBots(b, d.Admin, bots)
				deployed := 0
				for deployed < limit {
					deployed = 0
					for _, id := range ids {
						if !plat.DeployedAt(id).IsZero() {
							deployed++
						}
					}
				}
				settle += time.Since(start)
				stop()
				violations += over.Load()
			}
			b.ReportMetric(float64(settle.Milliseconds())/float64(b.N), "settle-ms")
			b.ReportMetric(float64(violations), "violations")
		})
	}
}

func watchLimit(st interface {
	CapacityUsed(context.Context) (map[string]int, error)
}, limit int, over *atomic.Int64) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if used, err := st.CapacityUsed(ctx); err == nil && used[platforms.Local] > limit {
				over.Add(1)
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return func() { cancel(); <-done }
}

// BenchmarkReleaseToNextDeploy: with a capacity of one and a bot waiting,
// the time from the running bot reporting DONE to the waiting bot's deploy.
func BenchmarkReleaseToNextDeploy(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			d, plat := benchDaemon(b, open, 1)
			running := createBots(b, d.Admin, 1)[0]
			waitDeployed(b, plat, []int64{running})
			var lat []time.Duration
			client := &http.Client{}
			for b.Loop() {
				waiting := createBots(b, d.Admin, 1)[0]
				start := time.Now()
				reportStatus(b, client, d.URL, plat.Token(running), api.StatusDone)
				waitDeployed(b, plat, []int64{waiting})
				lat = append(lat, plat.DeployedAt(waiting).Sub(start))
				running = waiting
			}
			percentiles(b, lat)
		})
	}
}

func reportStatus(b *testing.B, c *http.Client, base, token string, st api.BotStatus) {
	body, _ := json.Marshal(api.AgentStatusRequest{Status: st})
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/agent/status", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status report: %s", resp.Status)
	}
}
