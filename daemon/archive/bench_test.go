package archive_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// benchBundle opens a store and blob store for a benchmark.
func benchBundle(b *testing.B, open func(testing.TB) store.Store, blobs func(testing.TB) blob.Store) bundle {
	st := open(b)
	u, err := st.CreateUser(context.Background(), store.NewUser{Email: "b@example.test", Role: store.RoleMember, Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	return bundle{store: st, blobs: blobs(b), user: u}
}

func (bb bundle) benchBot(b *testing.B) int64 {
	bot, err := bb.store.CreateBot(context.Background(), store.NewBot{Bot: store.Bot{UserID: bb.user.ID, Status: api.StatusScheduled,
		Meeting: store.Meeting{URL: "https://meet.example/abc", Platform: "google-meet"}}, Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	return bot.ID
}

// BenchmarkIngest is the hot path of log ingest, batches of 50 lines from
// 8 bots at once (store.InsertLogs, what every agent call does), with the
// archiver off, passing every second (the daemon's default is every 5 s),
// and passing flat out, one pass right after the other.
func BenchmarkIngest(b *testing.B) {
	for engine, open := range storetest.Engines(b) {
		for name, blobs := range map[string]func(testing.TB) blob.Store{"Dir": openDir, "S3": openS3} {
			for _, mode := range []struct {
				name  string
				every time.Duration // -1: no archiver
			}{{"off", -1}, {"every1s", time.Second}, {"flatout", 0}} {
				b.Run(engine+"/"+name+"/archive="+mode.name, func(b *testing.B) {
					benchIngest(b, benchBundle(b, open, blobs), mode.every)
				})
			}
		}
	}
}

func benchIngest(b *testing.B, bb bundle, every time.Duration) {
	const bots, batch = 8, 50
	ids := make([]int64, bots)
	for i := range ids {
		ids[i] = bb.benchBot(b)
	}
	a := archive.New(archive.Config{ChunkLines: 1000, Quiet: time.Nanosecond, Every: time.Nanosecond},
		archive.Deps{Store: bb.store, Blobs: bb.blobs})
	ctx, stop := context.WithCancel(context.Background())
	var archived atomic.Int64
	var wg sync.WaitGroup
	if every >= 0 {
		wg.Go(func() {
			for ctx.Err() == nil {
				n, _ := a.ArchivePass(ctx)
				archived.Add(int64(n))
				select {
				case <-ctx.Done():
				case <-time.After(every):
				}
			}
		})
	}
	var seq atomic.Int64
	b.SetParallelism(4) // 8 senders on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			bot := ids[n%bots]
			lines := make([]store.LogEntry, batch)
			for i := range lines {
				lines[i] = store.LogEntry{BotID: bot, EntryID: fmt.Sprintf("%d-%d", n, i), Time: time.Now().Add(-time.Second), Level: "INFO",
					Message: "a line of about the length bots write, with a state and a little context", Fields: []byte(`{"state":"IN_CALL"}`)}
			}
			if err := bb.store.InsertLogs(context.Background(), lines); err != nil {
				b.Error(err)
				return
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	stop()
	wg.Wait()
	b.ReportMetric(float64(b.N*batch)/elapsed.Seconds(), "lines/s")
	b.ReportMetric(float64(archived.Load())/elapsed.Seconds(), "archived/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkArchivePass is archival throughput: an ended bot's 10,000
// database rows moved into the blob store (read, encode, gzip, write the
// chunks, delete the rows).
func BenchmarkArchivePass(b *testing.B) {
	for engine, open := range storetest.Engines(b) {
		for name, blobs := range map[string]func(testing.TB) blob.Store{"Dir": openDir, "S3": openS3} {
			b.Run(engine+"/"+name, func(b *testing.B) {
				bb := benchBundle(b, open, blobs)
				a := archive.New(archive.Config{}, archive.Deps{Store: bb.store, Blobs: bb.blobs})
				var total time.Duration
				for range b.N {
					b.StopTimer()
					id := bb.benchBot(b)
					bb.logN(b, id, 0, 10_000)
					if _, err := bb.store.Transition(context.Background(), store.TransitionParams{BotID: id, To: api.StatusDone, Reason: api.ReasonCompleted, Now: time.Now()}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					n, err := a.ArchivePass(context.Background())
					total += time.Since(start)
					if err != nil || n != 10_000 {
						b.Fatalf("moved %d, %v", n, err)
					}
				}
				b.ReportMetric(float64(b.N*10_000)/total.Seconds(), "lines/s")
			})
		}
	}
}
