package coolify_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
)

// testConfig is a pool configuration for fake f, polling fast so tests
// spend their time on behaviour, not on waits.
func testConfig(f *coolifytest.Server) coolify.Config {
	o := f.Options()
	return coolify.Config{
		APIURL: f.URL(), Token: f.Token(), ProjectUUID: o.ProjectUUID, ServerUUID: o.ServerUUID,
		DestinationUUID: o.DestinationUUID, EnvironmentName: o.EnvironmentName,
		GHCROrg: "meeboter", BotLimit: 5, RateLimit: 100_000,
		PollInterval: 2 * time.Millisecond, PollMax: 10 * time.Millisecond,
		DeployTimeout: 20 * time.Second, StopTimeout: 10 * time.Second,
	}
}

// bundle is a fake and a pool whose every exchange with it is checked
// against Coolify's OpenAPI document.
type bundle struct {
	fake *coolifytest.Server
	pool *coolify.Pool
	wire *checkedTransport
}

// setup starts a fake with opts and a pool on it; mod adjusts the pool's
// configuration.
func setup(t testing.TB, opts coolifytest.Options, mod ...func(*coolify.Config)) *bundle {
	t.Helper()
	f := coolifytest.New(t, opts)
	cfg := testConfig(f)
	for _, m := range mod {
		m(&cfg)
	}
	wire := newCheckedTransport(t, nil)
	p, err := coolify.New(cfg, coolify.Options{Logger: testLogger(t), Transport: wire,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatalf("coolify.New: %v", err)
	}
	return &bundle{fake: f, pool: p, wire: wire}
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

// slotSpec is a Google Meet slot named after n, with the environment a
// daemon writes.
func slotSpec(mp string, n int) coolify.SlotSpec {
	return coolify.SlotSpec{
		Name: coolify.FormatSlotName(mp, n), MeetingPlatform: mp,
		Env: map[string]string{
			"MILO_URL": "https://meeboter.example", "MILO_AUTH_TOKEN": "mbs_$ecret", "NODE_ENV": "production",
			"S3_ENDPOINT": "https://s3.example", "S3_ACCESS_KEY": "ak", "S3_SECRET_KEY": "sk", "S3_BUCKET_NAME": "b",
		},
		Secrets: []string{"MILO_AUTH_TOKEN", "S3_SECRET_KEY"},
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// waitABit yields between polls of a condition a test waits for.
func waitABit() { time.Sleep(time.Millisecond) }
