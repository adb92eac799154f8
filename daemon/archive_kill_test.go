package daemon_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/blob/dirblob"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// serveChildEnv marks a copy of the test binary that runs `meeboter
// serve` from its environment, for tests that kill a daemon with SIGKILL.
const serveChildEnv = "MEEBOTER_TEST_SERVE_CHILD"

// serveChild is the child's main: daemon.Run until SIGTERM, logging at
// debug level, where the archive says what it moved.
func serveChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	cfg, err := daemon.ConfigFromEnv(os.Getenv)
	if err == nil {
		err = daemon.Run(ctx, cfg, slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// An ended bot's 20,000 lines are archived by a daemon process that is
// killed with SIGKILL at random moments, again and again, and restarted;
// in the end the database holds none of them and the archive each one
// exactly once.
func TestArchive_SIGKILL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := store.Open(t.Context(), store.Config{SQLitePath: filepath.Join(dir, "meeboter.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	botID, want := endedBotWithLines(t, st, 20_000)
	blobs, err := dirblob.New(dirblob.Config{Dir: filepath.Join(dir, "blobs"), BaseURL: "http://127.0.0.1:1", SigningKey: []byte("reader of the test archive")})
	if err != nil {
		t.Fatal(err)
	}
	defer blobs.Close()
	kills := 0
	for deadline := time.Now().Add(6 * time.Minute); ; kills++ {
		if time.Now().After(deadline) {
			t.Fatalf("the archive was not done after %d kills", kills)
		}
		left, err := st.LogsToArchive(t.Context(), botID, 50_000)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			break
		}
		runAndKill(t, dir, kills%4 == 3)
	}
	if kills < 3 {
		t.Logf("only %d kills before the archive was done", kills)
	}
	var got []string
	for after := int64(0); ; {
		page, err := logarchive.Page(t.Context(), blobs, botID, after, 997)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			got = append(got, e.EntryID)
		}
		if !page.More {
			break
		}
		after = page.Next
	}
	if len(got) != len(want) {
		t.Fatalf("archived %d lines after %d kills, want %d", len(got), kills, len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("line %d is %s, want %s", i, got[i], want[i])
		}
	}
	t.Logf("%d lines archived whole across %d kills", len(got), kills)
}

// endedBotWithLines stores a DONE bot with n log lines and returns it
// with the lines' entry ids in order.
func endedBotWithLines(t *testing.T, st store.Store, n int) (int64, []string) {
	t.Helper()
	ctx := t.Context()
	u, err := st.CreateUser(ctx, store.NewUser{Email: "k@example.test", Role: store.RoleMember, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateBot(ctx, store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled,
		Meeting: store.Meeting{URL: meetURL, Platform: "google-meet"}}, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for start := 0; start < n; start += 500 {
		batch := make([]store.LogEntry, 500)
		for i := range batch {
			id := fmt.Sprintf("e%06d", start+i)
			ids = append(ids, id)
			batch[i] = store.LogEntry{BotID: b.ID, EntryID: id, Time: time.Now(), Level: "INFO", Message: "line " + id}
		}
		if err := st.InsertLogs(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Transition(ctx, store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return b.ID, ids
}

// runAndKill runs a daemon process on dir, archiving in chunks of 50
// lines, and kills it with SIGKILL: at a random moment of its start when
// early is set, else after it archived a random number of chunks (1 to
// 40), up to 200 ms into the next. A life counts in chunks, not from the
// exec, so that a loaded machine, where a start and the first look at the
// backlog may take seconds, still gets work done in each life.
func runAndKill(t *testing.T, dir string, early bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveChildEnv+"=1", "MEEBOTER_DATA_DIR="+dir, "MEEBOTER_LISTEN=127.0.0.1:0",
		"MEEBOTER_LOG_ARCHIVE_LINES=50", "MEEBOTER_WORKER_INTERVAL=50ms", "DATABASE_URL=", "S3_BUCKET_NAME=", "S3_ENDPOINT=")
	out, err := os.CreateTemp(dir, "serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}()
	if early {
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		return
	}
	// The kill comes a random number of chunks into the life, then a
	// random moment into the next chunk: counted in chunks, not seconds,
	// each life does work however slow the machine.
	chunks, seen, changed := 1+rand.IntN(40), 0, time.Now()
	for seen < chunks {
		if n := archived(out.Name()); n != seen {
			seen, changed = n, time.Now()
		}
		switch {
		case seen == 0 && time.Since(start) > time.Minute:
			t.Fatalf("the daemon archived nothing within a minute")
		case seen > 0 && time.Since(changed) > 3*time.Second:
			return // the backlog ran out in this life
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
}

// archived counts the chunks a daemon's JSON log says it archived.
func archived(logPath string) int {
	b, _ := os.ReadFile(logPath)
	return bytes.Count(b, []byte(`"msg":"archived log rows"`))
}
