package cli

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// benchResult is what a run of heartbeats measured.
type benchResult struct {
	lat      []time.Duration // sorted
	elapsed  time.Duration
	errors   int
	firstErr error
}

func (r benchResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.lat)) / r.elapsed.Seconds()
}

// ms is the q quantile of the latencies in milliseconds.
func (r benchResult) ms(q float64) float64 {
	if len(r.lat) == 0 {
		return 0
	}
	return float64(r.lat[int(q*float64(len(r.lat)-1))]) / float64(time.Millisecond)
}

// benchDrive sends heartbeats from conns workers for d, each taking the
// next bot in turn, and gathers every latency.
func benchDrive(ctx context.Context, b *beater, bots []benchBot, conns int, d time.Duration) benchResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var next atomic.Int64
	var mu sync.Mutex
	var res benchResult
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			var errs int
			var first error
			for ctx.Err() == nil {
				bot := bots[int(next.Add(1)%int64(len(bots)))]
				t := time.Now()
				err := b.beat(ctx, bot)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not a measurement
				}
				if err != nil {
					errs++
					first = cmpErr(first, err)
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			defer mu.Unlock()
			res.lat = append(res.lat, mine...)
			res.errors += errs
			res.firstErr = cmpErr(res.firstErr, first)
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.lat)
	return res
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// drain reads what is left of a response so its connection is reused.
func drain(resp *http.Response) (int64, error) { return io.Copy(io.Discard, resp.Body) }
