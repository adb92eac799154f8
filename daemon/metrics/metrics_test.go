package metrics_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/daemon/metrics"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// exercised returns metrics that have seen one of everything: every hook,
// platform calls (one failing), database calls and a fleet read.
func exercised(t *testing.T) (*metrics.Metrics, store.Store) {
	t.Helper()
	m := metrics.New("test")
	cfg := storetest.SQLiteConfig(t)
	cfg.WrapConnector = m.WrapConnector
	st := storetest.OpenConfig(t, cfg)
	m.Register(metrics.NewFleetCollector(metrics.Fleet{Stats: st.FleetStats, Capacity: st.CapacityUsed,
		Limits: []store.PlatformLimit{{Name: "k8s", Limit: 5}}, Leading: func() bool { return true }, Subscribers: func() int { return 2 }}))
	if _, err := st.CreatePoolSlot(t.Context(), store.PoolSlot{Platform: "coolify", MeetingPlatform: "zoom", Name: "s1",
		ApplicationUUID: "u1", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	u := store.NewUser{Email: "a@example.com", Role: store.RoleMember, Now: time.Now()}
	if _, err := st.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(t.Context(), u); !errors.Is(err, store.ErrConflict) { // a failing call, for the error counter
		t.Fatalf("second user with one email: %v", err)
	}
	m.Admitted("k8s")
	m.Queued()
	m.QueueWait(90 * time.Second)
	m.Ended(api.StatusFatal, api.ReasonHeartbeatTimeout)
	m.Ended(api.StatusFatal, "SIGN_IN_REQUIRED")
	m.AgentRequest("native", "heartbeat", time.Millisecond)
	m.AgentRequest("trpc", "logs", 3*time.Millisecond)
	m.WebhookAttempt("delivered", 40*time.Millisecond)
	m.WebhookEndpointDisabled()
	p := m.Platform(failingStop{daemontest.NewInstant("k8s", 5)})
	if _, err := p.Deploy(t.Context(), platforms.DeploySpec{BotID: 1}); err != nil {
		t.Fatal(err)
	}
	_ = p.Stop(t.Context(), "k8s-1")
	if _, err := p.Status(t.Context(), "missing"); !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("status of a missing resource: %v", err)
	}
	return m, st
}

// failingStop is a platform whose Stop fails, to count an error.
type failingStop struct{ *daemontest.Instant }

func (failingStop) Stop(context.Context, string) error { return errors.New("api down") }

func TestMetricsRecord(t *testing.T) {
	t.Parallel()
	m, _ := exercised(t)
	body := scrapeText(t, m)
	for _, want := range []string{
		`meeboter_admissions_total{platform="k8s"} 1`,
		`meeboter_queue_entries_total 1`,
		`meeboter_queue_wait_seconds_count 1`,
		`meeboter_bot_ends_total{reason="heartbeat_timeout",status="FATAL"} 1`,
		`meeboter_bot_ends_total{reason="bot_reported",status="FATAL"} 1`,
		`meeboter_agent_heartbeat_duration_seconds_count{protocol="native"} 1`,
		`meeboter_agent_request_duration_seconds_count{operation="logs",protocol="trpc"} 1`,
		`meeboter_platform_call_duration_seconds_count{operation="deploy",platform="k8s"} 1`,
		`meeboter_platform_call_errors_total{operation="stop",platform="k8s"} 1`,
		`meeboter_webhook_deliveries_total{outcome="delivered"} 1`,
		`meeboter_webhook_endpoints_disabled_total 1`,
		`meeboter_capacity_limit{platform="k8s"} 5`,
		`meeboter_leader 1`,
		`meeboter_stream_subscribers 2`,
		`meeboter_fleet_read_ok 1`,
		`meeboter_db_call_duration_seconds_count{operation="begin"}`,
		`meeboter_pool_slots{platform="coolify",status="IDLE"} 1`,
		`meeboter_pool_slots{platform="coolify",status="ERROR"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s", want)
		}
	}
	if strings.Contains(body, `meeboter_platform_call_errors_total{operation="status"`) {
		t.Error("a resource not found counted as a platform error")
	}
	problems, err := testutil.GatherAndLint(m.Gatherer())
	if err != nil || len(problems) > 0 {
		t.Fatalf("lint: %v %+v", err, problems)
	}
}

func scrapeText(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("metrics answered %d", rec.Code)
	}
	return rec.Body.String()
}

// TestTimedPlatformKeepsBatch checks the decorator offers Statuses exactly
// when the platform does.
func TestTimedPlatformKeepsBatch(t *testing.T) {
	t.Parallel()
	m := metrics.New("test")
	plain := m.Platform(daemontest.NewInstant("local", 1))
	if _, ok := plain.(platforms.BatchStatuser); ok {
		t.Fatal("a platform without Statuses gained it")
	}
	batch := m.Platform(batching{daemontest.NewInstant("aws", 1)})
	b, ok := batch.(platforms.BatchStatuser)
	if !ok {
		t.Fatal("a platform with Statuses lost it")
	}
	if _, err := b.Statuses(t.Context(), []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if metrics.Unwrap(batch).Name() != "aws" || metrics.Unwrap(plain) == plain {
		t.Fatal("Unwrap does not give the platform back")
	}
}

type batching struct{ *daemontest.Instant }

func (batching) Statuses(context.Context, []string) (map[string]platforms.Resource, error) {
	return map[string]platforms.Resource{}, nil
}

// TestTimedPlatformKeepsHostBound checks the decorator says HostBound as
// the platform does: the stop and the reconciler tell local bots from
// shared ones by it.
func TestTimedPlatformKeepsHostBound(t *testing.T) {
	t.Parallel()
	m := metrics.New("test")
	hostBound := func(p platforms.Platform) bool {
		hb, ok := p.(platforms.HostBound)
		return ok && hb.HostBound()
	}
	local := daemontest.NewInProc(platforms.Local, 1)
	t.Cleanup(func() { _ = local.Close() })
	if !hostBound(m.Platform(local)) {
		t.Error("a host-bound platform is not host-bound once timed")
	}
	if hostBound(m.Platform(daemontest.NewInstant("k8s", 1))) {
		t.Error("a shared platform became host-bound once timed")
	}
	if hostBound(m.Platform(batching{daemontest.NewInstant("aws", 1)})) {
		t.Error("a shared batch platform became host-bound once timed")
	}
}
