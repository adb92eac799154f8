package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// fixedNow is the clock of every command test.
var fixedNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// fastRetry keeps retry tests quick.
var fastRetry = retryPolicy{Max: 3, WaitMin: time.Millisecond, WaitMax: 5 * time.Millisecond, RetryAfterMax: 10 * time.Millisecond, Timeout: 10 * time.Second, NoticeAfter: time.Minute}

// stub is one faked endpoint; the daemon fails the test if a stub is
// never called, so tests cannot pass by not reaching the code they name.
type stub struct {
	pattern string
	handler http.HandlerFunc
	hits    atomic.Int32
	// optional marks stubs a test may or may not reach.
	optional bool
}

type fakeDaemon struct {
	t     testing.TB
	mux   *http.ServeMux
	stubs []*stub
	srv   *httptest.Server
}

func newFakeDaemon(tb testing.TB) *fakeDaemon {
	tb.Helper()
	d := &fakeDaemon{t: tb, mux: http.NewServeMux()}
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := d.mux.Handler(r); pattern == "" {
			tb.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.NotFound(w, r)
			return
		}
		d.mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(func() {
		d.srv.Close()
		for _, s := range d.stubs {
			if s.hits.Load() == 0 && !s.optional {
				tb.Errorf("stub %q was never called", s.pattern)
			}
		}
	})
	return d
}

// handle registers a stub for a Go 1.22 mux pattern ("GET /v1/bots/{id}").
func (d *fakeDaemon) handle(pattern string, h http.HandlerFunc) *stub {
	s := &stub{pattern: pattern, handler: h}
	d.stubs = append(d.stubs, s)
	d.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	})
	return s
}

func reply(status int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
}

func problemReply(status int, code, detail string, fields ...api.FieldError) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(api.Problem{Title: http.StatusText(status), Status: status, Code: code, Detail: detail, Errors: fields})
	}
}

// sse writes server-sent events and flushes after each.
func sse(w http.ResponseWriter, evs ...api.StreamEvent) {
	w.Header().Set("Content-Type", "text/event-stream")
	for _, ev := range evs {
		buf, _ := json.Marshal(ev)
		if ev.ID != "" {
			fmt.Fprintf(w, "id: %s\n", ev.ID)
		}
		fmt.Fprintf(w, "data: %s\n\n", buf)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	}
}

type testBundle struct {
	f              *Factory
	daemon         *fakeDaemon
	stdin          *bytes.Buffer
	stdout, stderr *bytes.Buffer
	env            map[string]string
	configPath     string
}

// setup returns a Factory wired to a fake daemon, with buffers for
// streams (no terminal, no colour), a fixed clock and an empty
// environment.
func setup(tb testing.TB) *testBundle {
	tb.Helper()
	ios, stdin, stdout, stderr := TestIO()
	b := &testBundle{daemon: newFakeDaemon(tb), stdin: stdin, stdout: stdout, stderr: stderr,
		env: map[string]string{}, configPath: filepath.Join(tb.TempDir(), "config.yaml")}
	b.env["MEEBOTER_ADDR"] = b.daemon.srv.URL
	b.env["MEEBOTER_API_KEY"] = "mbk_test_0123456789"
	f := &Factory{IO: ios, Now: func() time.Time { return fixedNow },
		Getenv:      func(k string) string { return b.env[k] },
		Build:       BuildInfo{Version: "v1.2.3", Commit: "abc1234", Date: "2026-01-02T03:04:05Z"},
		followRetry: time.Millisecond, followLinger: 20 * time.Millisecond}
	f.HTTPClient = func() *http.Client { return newHTTPClient(fastRetry, ios.ErrOut) }
	f.Config = func() (*Config, error) {
		return resolveConfig(configInputs{Flags: f.rootFlags, Getenv: f.Getenv, Path: b.configPath})
	}
	f.Client = f.newClient
	b.f = f
	return b
}

// run executes a command line and returns its exit code.
func (b *testBundle) run(tb testing.TB, args ...string) ExitCode {
	tb.Helper()
	return execute(tb.Context(), b.f, args)
}

// sampleBot is a bot with every commonly printed field set.
func sampleBot(id int64, status api.BotStatus) api.Bot {
	return api.Bot{
		ID: id, DisplayName: "Notes", Status: status,
		Meeting:            api.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij", Platform: api.MeetingGoogleMeet},
		MaxDurationSeconds: 3600, Metadata: map[string]string{"team": "sales"},
		CreatedAt: fixedNow.Add(-5 * time.Minute), UpdatedAt: fixedNow.Add(-time.Minute),
	}
}

func assertEqual[T comparable](tb testing.TB, name string, got, want T) {
	tb.Helper()
	if got != want {
		tb.Errorf("%s:\n got: %v\nwant: %v", name, got, want)
	}
}

// runCommand executes one command built alone (for runF tests) the way
// the root would, and returns its exit code.
func runCommand(tb testing.TB, cmd *cobra.Command, args ...string) ExitCode {
	tb.Helper()
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{err} })
	return exitCodeFor(cmd.ExecuteContext(tb.Context()))
}
