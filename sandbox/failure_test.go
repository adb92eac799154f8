package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/sandbox"
)

// TestRun_Retries fails every kind of call a few times, as a restarting
// daemon would; the bot must ride it out and finish normally.
func TestRun_Retries(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	for _, path := range []string{"config", "heartbeat", "status", "events", "screenshots", "logs", "chat/dequeue"} {
		f.fail["/v1/agent/"+path] = 2
	}
	if err := run(t, fastConfig(f, &lockedBuffer{})); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := f.statusPath(), "JOINING_CALL>IN_WAITING_ROOM>IN_CALL>CALL_ENDED>DONE"; got != want {
		t.Fatalf("statuses %s, want %s", got, want)
	}
	if types := f.eventTypes(); types["JOINING_CALL"] != 1 {
		t.Fatalf("events %v: the failed JOINING_CALL event was not retried", types)
	}
}

// TestRun_LogsDedupe loses the answer to stored log batches: the bot sends
// them again under the same ids, so the daemon keeps each entry once.
func TestRun_LogsDedupe(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.logsAckFail = 3
	if err := run(t, fastConfig(f, &lockedBuffer{})); err != nil {
		t.Fatalf("Run: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logRepeats == 0 {
		t.Fatal("no batch was sent again")
	}
	msgs := map[string]int{}
	for _, e := range f.logs {
		if e.ID == "" || e.Time.IsZero() || e.Level == "" {
			t.Fatalf("incomplete entry %+v", e)
		}
		msgs[e.Message]++
	}
	if msgs["status IN_CALL"] != 1 {
		t.Fatalf("status IN_CALL logged %d times after dedupe, want 1", msgs["status IN_CALL"])
	}
}

func TestRun_Chat(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.chat = []api.AgentChatMessage{{ID: 1, Text: "hello bot"}, {ID: 2, Text: "second"}}
	out := &lockedBuffer{}
	if err := run(t, fastConfig(f, out)); err != nil {
		t.Fatalf("Run: %v", err)
	}
	f.mu.Lock()
	left := len(f.chat)
	f.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d chat messages not consumed", left)
	}
	msgs := strings.Join(f.logMessages(), "\n")
	if !strings.Contains(msgs, `replies: got "hello bot"`) || !strings.Contains(msgs, `replies: got "second"`) {
		t.Fatalf("no reply logged:\n%s", msgs)
	}
	if !strings.Contains(out.String(), "posting chat message") {
		t.Fatal("chat not printed to stdout")
	}
}

// TestRun_EndsQuietly covers a daemon that considers the bot over.
func TestRun_EndsQuietly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(*fakeDaemon, *sandbox.Config)
	}{
		{"Gone", func(f *fakeDaemon, _ *sandbox.Config) { f.configCode = http.StatusGone }},
		{"ConflictOnConfig", func(f *fakeDaemon, _ *sandbox.Config) { f.configCode = http.StatusConflict }},
		{"Unauthorized", func(_ *fakeDaemon, c *sandbox.Config) { c.Token = "wrong" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDaemon(t)
			cfg := fastConfig(f, &lockedBuffer{})
			tt.setup(f, &cfg)
			if err := run(t, cfg); err != nil {
				t.Fatalf("Run: %v, want nil", err)
			}
			if got := f.statusPath(); got != "" {
				t.Fatalf("statuses %s reported", got)
			}
		})
	}
}

// TestRun_Cancelled plays SIGTERM in the call: Run returns at once and
// reports nothing more.
func TestRun_Cancelled(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.CallEndsAfter = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- sandbox.Run(ctx, cfg) }()
	waitFor(t, func() bool { return strings.HasSuffix(f.statusPath(), "IN_CALL") })
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return promptly")
	}
	if got := f.statusPath(); got != "JOINING_CALL>IN_WAITING_ROOM>IN_CALL" {
		t.Fatalf("statuses %s", got)
	}
}

func TestRun_StopsHeartbeating(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "stops-heartbeating"
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := make(chan error, 1)
	out := &lockedBuffer{}
	go func() { errc <- sandbox.Run(ctx, fastConfig(f, out)) }()
	waitFor(t, func() bool { return strings.Contains(out.String(), "heartbeats stopped on purpose") })
	beats := func() int { f.mu.Lock(); defer f.mu.Unlock(); return f.heartbeats }
	time.Sleep(20 * time.Millisecond) // a beat in flight may still land
	before := beats()
	time.Sleep(50 * time.Millisecond) // ten heartbeat intervals
	if after := beats(); after != before {
		t.Fatalf("heartbeats went on: %d then %d", before, after)
	}
	select {
	case err := <-errc:
		t.Fatalf("the bot exited (%v); it should stay alive", err)
	default:
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestRun_Protocols(t *testing.T) {
	t.Parallel()
	cfg := sandbox.Config{BotID: 1, BaseURL: "http://127.0.0.1:1", Protocol: "carrier-pigeon"}
	if err := sandbox.Run(t.Context(), cfg); err == nil {
		t.Fatal("unknown protocol accepted")
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"BOT_ID": "42", "MILO_URL": "http://127.0.0.1:3000", "MILO_AUTH_TOKEN": "tok"}
	cfg := sandbox.ConfigFromEnv(func(k string) string { return env[k] })
	if cfg.BotID != 42 || cfg.BaseURL != env["MILO_URL"] || cfg.Token != "tok" {
		t.Fatalf("ConfigFromEnv = %+v", cfg)
	}
	env["BOT_ID"] = "abc"
	cfg = sandbox.ConfigFromEnv(func(k string) string { return env[k] })
	if err := sandbox.Run(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "BOT_ID") {
		t.Fatalf("Run with a bad BOT_ID: %v", err)
	}
}

// flushCounter is a transport whose protocol ends the log stream
// explicitly, as the tRPC one does.
type flushCounter struct {
	sandbox.Transport
	mu      sync.Mutex
	flushes int
}

func (c *flushCounter) FlushLogs(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushes++
	return nil
}

func TestRun_CustomTransportFlushesLogs(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	f.conf.Metadata[sandbox.MetaScenario] = "fatal:CAPTCHA_DETECTED"
	tr := &flushCounter{Transport: sandbox.NewNativeTransport(f.srv.URL+"/", testToken, nil)}
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.BaseURL, cfg.Transport = "", tr
	if err := run(t, cfg); err != nil {
		t.Fatalf("Run: %v", err)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.flushes != 1 {
		t.Fatalf("FlushLogs called %d times, want 1", tr.flushes)
	}
}

// TestRun_GivesUpWithoutADaemon: once no heartbeat has gone through for
// GiveUpAfter, the daemon has ended the bot as silent, and the bot stops
// rather than run on uncounted.
func TestRun_GivesUpWithoutADaemon(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	cfg := fastConfig(f, &lockedBuffer{})
	cfg.CallEndsAfter = time.Hour
	cfg.GiveUpAfter = 300 * time.Millisecond
	errc := make(chan error, 1)
	go func() { errc <- sandbox.Run(t.Context(), cfg) }()
	waitFor(t, func() bool { return strings.HasSuffix(f.statusPath(), "IN_CALL") })
	f.mu.Lock()
	f.fail["/v1/agent/heartbeat"] = 1 << 30 // the daemon answers no more
	f.mu.Unlock()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the bot kept running with no daemon to count it")
	}
}
