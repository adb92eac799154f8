package daemon_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// benchDaemon starts a daemon on an Instant platform of the given capacity;
// the workers are slowed so only the measured path runs.
func benchDaemon(b *testing.B, open func(testing.TB) store.Store, limit int) (*daemontest.Daemon, *daemontest.Instant) {
	plat := daemontest.NewInstant(platforms.Local, limit)
	d := daemontest.Start(b, daemontest.Options{Store: open(b), Platforms: []platforms.Platform{plat},
		Config: daemon.Config{WorkerInterval: time.Hour}})
	return d, plat
}

func createBots(b *testing.B, c *api.Client, n int) []int64 {
	ids := make([]int64, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			bot, err := c.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
			if err != nil {
				b.Error(err)
				return
			}
			ids[i] = bot.ID
		}()
	}
	wg.Wait()
	return ids
}

// percentiles reports p50 and p99 of the latencies, in milliseconds.
func percentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

// BenchmarkHeartbeats: thousands of bots heartbeating at once (64
// concurrent senders), through the native agent API and through the
// original bots' tRPC protocol; ns/op is the inverse of throughput.
func BenchmarkHeartbeats(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			const bots = 2000
			d, plat := benchDaemon(b, open, bots)
			ids := createBots(b, d.Admin, bots)
			waitDeployed(b, plat, ids)
			tokens := make([]string, len(ids))
			for i, id := range ids {
				tokens[i] = plat.Token(id)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.Run("native", func(b *testing.B) {
				beat(b, len(ids), func(i int) { nativeHeartbeat(b, client, d.URL, tokens[i]) })
			})
			b.Run("trpc", func(b *testing.B) {
				beat(b, len(ids), func(i int) { trpcHeartbeat(b, client, d.URL, ids[i], tokens[i]) })
			})
		})
	}
}

// beat runs one heartbeat per iteration, rotating over n bots, and reports
// throughput and latency percentiles.
func beat(b *testing.B, n int, one func(i int)) {
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(32) // 64 senders on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			one(int(next.Add(1) % int64(n)))
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "beats/s")
	percentiles(b, lat)
}

func nativeHeartbeat(b *testing.B, c *http.Client, base, token string) {
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/agent/heartbeat", bytes.NewReader(nil))
	req.Header.Set("Authorization", "Bearer "+token)
	do(b, c, req)
}

// trpcHeartbeat sends bots.sendHeartbeat as the original bot images do.
func trpcHeartbeat(b *testing.B, c *http.Client, base string, botID int64, token string) {
	body := `{"0":{"json":{"id":"` + strconv.FormatInt(botID, 10) + `"}}}`
	req, _ := http.NewRequest(http.MethodPost, base+"/api/trpc/bots.sendHeartbeat?batch=1", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Milo-Token", token)
	do(b, c, req)
}

func do(b *testing.B, c *http.Client, req *http.Request) {
	resp, err := c.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("%s: %s", req.URL.Path, resp.Status)
	}
}

func waitDeployed(b *testing.B, plat *daemontest.Instant, ids []int64) {
	deadline := time.Now().Add(2 * time.Minute)
	for _, id := range ids {
		for plat.DeployedAt(id).IsZero() {
			if time.Now().After(deadline) {
				b.Fatalf("bot %d not deployed", id)
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// BenchmarkCreateToDeployed: from POST /v1/bots to the platform's deploy
// call, one bot at a time with free capacity.
func BenchmarkCreateToDeployed(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			d, plat := benchDaemon(b, open, 1<<20)
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				bot, err := d.Admin.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
				if err != nil {
					b.Fatal(err)
				}
				waitDeployed(b, plat, []int64{bot.ID})
				lat = append(lat, plat.DeployedAt(bot.ID).Sub(start))
			}
			percentiles(b, lat)
		})
	}
}
