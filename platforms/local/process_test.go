package local_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
)

// sinkRecorder collects the lines a platform hands to its LogSink.
type sinkRecorder struct {
	mu    sync.Mutex
	lines []string // "botID stream line"
}

func (s *sinkRecorder) sink(botID int64, stream, line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, strings.Join([]string{strconv.FormatInt(botID, 10), stream, line}, " "))
}

func (s *sinkRecorder) snapshot() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.lines)
}

func TestEnv_PassedAndFiltered(t *testing.T) {
	t.Parallel()
	rec := &sinkRecorder{}
	p := newLocal(t, "env", func(c *local.Config) {
		c.LogSink = rec.sink
		c.Environ = []string{
			"PATH=/usr/bin:/bin", "HOME=/home/bot", "LANG=C.UTF-8",
			"DATABASE_URL=postgres://secret", "MEEBOTER_API_KEY=k", "AWS_SECRET_ACCESS_KEY=a",
			"MILO_AUTH_TOKEN=shared", "GITHUB_TOKEN=g", "S3_SECRET_KEY=s", "BOT_ID=999",
			"DB_PASS=d", "GITHUB_PAT=p", "GOOGLE_APPLICATION_CREDENTIALS=/key.json", "XDG_CONFIG_HOME=/home/bot/.config",
		}
	})
	waitEnded(t, p, deploy(t, p, 42))
	got := rec.snapshot()
	for _, want := range []string{
		"42 stdout PATH=/usr/bin:/bin", "42 stdout BOT_ID=42",
		"42 stdout MILO_URL=http://127.0.0.1:1", "42 stdout MILO_AUTH_TOKEN=token-42",
		"42 stdout DOCKER_MEETING_PLATFORM=google-meet", "42 stdout NODE_ENV=test",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("env lacks %q; got %q", want, got)
		}
	}
	for _, line := range got {
		for _, secret := range []string{"DATABASE_URL", "MEEBOTER_", "AWS_", "GITHUB_TOKEN", "S3_", "=shared", "=999",
			"DB_PASS", "GITHUB_PAT", "GOOGLE_APPLICATION_CREDENTIALS", "XDG_CONFIG_HOME", "HOME=/home/bot"} {
			if strings.Contains(line, secret) {
				t.Errorf("secret %q leaked into the bot env: %q", secret, line)
			}
		}
	}
}

func TestLogSink_Streams(t *testing.T) {
	t.Parallel()
	rec := &sinkRecorder{}
	long := strings.Repeat("x", 70<<10)
	cmd := `echo "hello out"; echo "hello err" >&2; printf 'no newline'; printf '%s\n' ` + long + ` >&2`
	p := newLocal(t, cmd, func(c *local.Config) { c.LogSink = rec.sink })
	waitEnded(t, p, deploy(t, p, 5))
	got := rec.snapshot()
	for _, want := range []string{"5 stdout hello out", "5 stderr hello err", "5 stdout no newline"} {
		if !slices.Contains(got, want) {
			t.Errorf("sink lacks %q; got %d lines", want, len(got))
		}
	}
	total := 0
	for _, line := range got {
		if rest, ok := strings.CutPrefix(line, "5 stderr x"); ok {
			total += len(rest) + 1
		}
	}
	if total != len(long) {
		t.Errorf("long line arrived with %d of %d bytes", total, len(long))
	}
}

func TestWatch_ReportsCrash(t *testing.T) {
	t.Parallel()
	p := newLocal(t, "sleep 0.2; exit 2", nil)
	events := make(chan platforms.Resource, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- p.Watch(ctx, func(r platforms.Resource) { events <- r }) }()
	id := deploy(t, p, 11)
	timeout := time.After(10 * time.Second)
	for got := false; !got; {
		select {
		case r := <-events:
			if r.ID == id && r.State == platforms.StateFailed {
				if r.Reason != local.ReasonExited || r.Detail != "exit status 2" || r.BotID != 11 {
					t.Fatalf("pushed %+v", r)
				}
				got = true
			}
		case <-timeout:
			t.Fatal("Watch did not push the crash")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Watch returned %v", err)
	}
}
