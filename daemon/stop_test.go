package daemon_test

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// runDaemon runs daemon.Run, as `meeboter serve` does, with local bots
// running command, and returns a client, a stop function that waits for
// Run to return, and the daemon's SQLite path.
func runDaemon(t *testing.T, command string, drain time.Duration) (*api.Client, func(), string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	cfg := daemon.Config{Addr: addr, DataDir: dir, LocalBotCommand: command, WorkerInterval: 200 * time.Millisecond,
		ClientConfigPath: filepath.Join(dir, "cli.yaml"), Drain: drain > 0, DrainTimeout: drain}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- daemon.Run(ctx, cfg, slog.New(slog.DiscardHandler)) }()
	var fc api.FileConfig
	eventually(t, "the daemon wrote its CLI config", func() bool {
		fc, err = api.ReadConfigFile(cfg.ClientConfigPath)
		return err == nil && fc.APIKey != ""
	})
	c, err := api.NewClient(api.Config{Address: "http://" + addr, APIKey: fc.APIKey})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return c, stop, filepath.Join(dir, "meeboter.db")
}

func storedBot(t *testing.T, path string, id int64) store.Bot {
	t.Helper()
	st := storetest.OpenConfig(t, store.Config{SQLitePath: path})
	b, err := st.GetBot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStopEndsLocalBots: a clean stop ends the daemon's local bots at once,
// FATAL/daemon_stopped, instead of leaving them to be found vanished.
func TestStopEndsLocalBots(t *testing.T) {
	t.Parallel()
	c, stop, db := runDaemon(t, "exec sleep 60", 0)
	b := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	eventually(t, "the process started", func() bool {
		got, err := c.Bots().Get(context.Background(), b.ID)
		return err == nil && got.PlatformID != ""
	})
	stop()
	if got := storedBot(t, db, b.ID); got.Status != api.StatusFatal || got.EndReason != api.ReasonDaemonStopped {
		t.Fatalf("after the stop the bot is %s/%s", got.Status, got.EndReason)
	}
}

// TestDrainWaitsForLocalBots: with a drain, the stop waits for the bots to
// end by themselves, and takes no new one meanwhile.
func TestDrainWaitsForLocalBots(t *testing.T) {
	t.Parallel()
	c, stop, db := runDaemon(t, "exec sleep 1", 30*time.Second)
	b := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	eventually(t, "the process started", func() bool {
		got, err := c.Bots().Get(context.Background(), b.ID)
		return err == nil && got.PlatformID != ""
	})
	start := time.Now()
	stop()
	got := storedBot(t, db, b.ID)
	if got.Status != api.StatusFatal || got.EndReason != "exited" {
		t.Fatalf("after a drain the bot is %s/%s, want it to have ended by itself", got.Status, got.EndReason)
	}
	t.Logf("the drain took %v", time.Since(start).Round(time.Millisecond))
}
