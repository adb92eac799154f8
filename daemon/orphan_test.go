package daemon_test

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestRestartStopsProcessesOfEndedBots: a daemon dies for good, leaving
// its bot's process running; the bot is ended meanwhile (as another
// daemon's leader ends a silent bot). When a daemon starts again on that
// data directory, it stops the process at once: a bot never runs
// uncounted.
func TestRestartStopsProcessesOfEndedBots(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	dir := t.TempDir()
	newLocal := func() *local.Local {
		p, err := local.New(local.Config{Command: "exec sleep 60", StateDir: filepath.Join(dir, "local"), GracePeriod: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := newLocal()
	t.Cleanup(func() { _ = first.Close() })
	d1, stopServing := serveDaemon(t, st, dir, first)
	key, err := d1.IssueKey(t.Context(), 1, "test")
	if err != nil {
		t.Fatal(err)
	}
	c := clientOf(t, d1, key.Secret)
	b := createBot(t, c, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	var res string
	eventually(t, "the process started", func() bool {
		got, err := c.Bots().Get(context.Background(), b.ID)
		res = got.PlatformID
		return err == nil && res != ""
	})
	pid := pidOf(t, res)
	stopServing()
	d1.Stop() // dies: its platform is never closed, the process lives on
	if _, err := st.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusFatal, Reason: api.ReasonHeartbeatTimeout, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if syscall.Kill(pid, 0) != nil {
		t.Fatal("the process ended with its daemon; the test proves nothing")
	}
	second := newLocal()
	t.Cleanup(func() { _ = second.Close() })
	d2, stop2 := serveDaemon(t, st, dir, second)
	t.Cleanup(func() { stop2(); d2.Stop() })
	eventually(t, "the restarted daemon stopped the ended bot's process", func() bool {
		var status syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &status, syscall.WNOHANG, nil) // reap it if it was ours
		return syscall.Kill(pid, 0) != nil
	})
}

// serveDaemon builds, starts and serves a daemon on st with its data in
// dir and one platform; stop ends the serving.
func serveDaemon(t *testing.T, st store.Store, dir string, p platforms.Platform) (*daemon.Server, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := daemon.Config{DataDir: dir, PublicURL: "http://" + ln.Addr().String(), WorkerInterval: 100 * time.Millisecond,
		PlatformPriority: []string{platforms.Local}}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := daemon.New(ctx, cfg, daemon.Options{Store: st, Platforms: []platforms.Platform{p}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	return srv, func() { cancel(); <-done }
}

func clientOf(t *testing.T, srv *daemon.Server, key string) *api.Client {
	t.Helper()
	c, err := api.NewClient(api.Config{Address: srv.PublicURL(), APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pidOf reads the process id out of a local resource id.
func pidOf(t *testing.T, id string) int {
	t.Helper()
	pid, err := strconv.Atoi(id[strings.LastIndex(id, "-")+1:])
	if err != nil {
		t.Fatalf("resource id %q: %v", id, err)
	}
	return pid
}
