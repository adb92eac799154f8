package daemon_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/daemon/metrics"
	"github.com/meeboter/meeboter/store/storetest"
)

// scrape GETs a metrics URL with key (none when empty).
func scrape(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// metricsDaemon starts a daemon whose store is timed by its metrics, runs
// a bot through its life with a webhook, and returns it.
func metricsDaemon(t *testing.T, cfg daemon.Config) *daemontest.Daemon {
	t.Helper()
	m := metrics.New("test")
	sc := storetest.SQLiteConfig(t)
	sc.WrapConnector = m.WrapConnector
	rcv := newReceiver(t)
	wc := webhookConfig()
	cfg.WebhookSecret, cfg.WebhookAllowPrivate, cfg.WebhookBackoff, cfg.WorkerInterval = wc.WebhookSecret, true, wc.WebhookBackoff, wc.WorkerInterval
	d := daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, sc), Metrics: m, Config: cfg})
	b := createWithCallback(t, d.Admin, rcv.URL)
	waitStatus(t, d.Admin, b.ID, api.StatusDone)
	settled(t, d, b.ID)
	return d
}

// wantMetrics are series a daemon that ran one bot with a webhook reports.
var wantMetrics = []string{
	`meeboter_bots{platform="local",status="DONE"} 1`,
	`meeboter_bots{platform="none",status="SCHEDULED"} 0`,
	`meeboter_admissions_total{platform="local"} 1`,
	`meeboter_bot_ends_total{reason="completed",status="DONE"} 1`,
	`meeboter_queue_depth 0`,
	`meeboter_queue_wait_seconds_count 0`,
	`meeboter_queue_entries_total 0`,
	`meeboter_capacity_limit{platform="local"} 4`,
	`meeboter_capacity_used{platform="local"} 0`,
	`meeboter_agent_heartbeat_duration_seconds_count{protocol="native"}`,
	`meeboter_agent_request_duration_seconds_count{operation="status",protocol="native"}`,
	`meeboter_platform_call_duration_seconds_count{operation="deploy",platform="local"} 1`,
	`meeboter_webhook_deliveries_total{outcome="delivered"}`,
	`meeboter_webhook_delivery_duration_seconds_bucket{outcome="delivered",le=`,
	`meeboter_webhook_endpoints{state="active"} 0`,
	`meeboter_webhook_outbox_due 0`,
	`meeboter_leader 1`,
	`meeboter_fleet_read_ok 1`,
	`meeboter_db_call_duration_seconds_count{operation="commit"}`,
	`meeboter_db_call_duration_seconds_count{operation="query"}`,
	`meeboter_build_info{version="test"} 1`,
	`go_goroutines `,
	`process_resident_memory_bytes `,
}

// TestMetrics scrapes a daemon that ran a bot: admin keys only, every
// series expected, bounded labels (no id of anything), and promtool, when
// installed, finds nothing to complain about.
func TestMetrics(t *testing.T) {
	t.Parallel()
	d := metricsDaemon(t, daemon.Config{})
	if status, _ := scrape(t, d.URL+"/metrics", ""); status != http.StatusUnauthorized {
		t.Fatalf("without a key: %d, want 401", status)
	}
	other, _ := d.NewUser(t, "member@example.com")
	mk, err := other.Keys().Create(t.Context(), api.CreateKeyRequest{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := scrape(t, d.URL+"/metrics", mk.Secret); status != http.StatusNotFound {
		t.Fatalf("with a member's key: %d, want 404", status)
	}
	status, body := scrape(t, d.URL+"/metrics", d.AdminKey)
	if status != http.StatusOK {
		t.Fatalf("with an admin key: %d %s", status, body)
	}
	for _, want := range wantMetrics {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in the metrics", want)
		}
	}
	if m := regexp.MustCompile(`(?m)^meeboter_\w+\{[^}]*(bot_?id|user_?id|endpoint_?id)=`).FindString(body); m != "" {
		t.Errorf("a label names an id: %s", m)
	}
	promtool(t, body)
}

// promtool runs `promtool check metrics` on a scrape: the Prometheus
// project's own lint of names, units, help texts and types.
func promtool(t *testing.T, body string) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("MEEBOTER_REQUIRE_PROMTOOL") != "" {
			t.Fatal("MEEBOTER_REQUIRE_PROMTOOL is set but promtool is not installed")
		}
		t.Skip("promtool is not installed (Debian: apt-get install prometheus); the scrape was checked without it")
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out.String())
	}
}

// TestMetricsOwnAddress serves the metrics on an address of their own,
// unauthenticated, and no longer on the API's listener.
func TestMetricsOwnAddress(t *testing.T) {
	t.Parallel()
	d := metricsDaemon(t, daemon.Config{MetricsAddr: "127.0.0.1:0"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Server.ServeMetrics(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	status, body := scrape(t, "http://"+ln.Addr().String()+"/metrics", "")
	if status != http.StatusOK || !strings.Contains(body, "meeboter_leader 1") {
		t.Fatalf("own address: %d %.200s", status, body)
	}
	if status, _ := scrape(t, d.URL+"/metrics", d.AdminKey); status != http.StatusNotFound {
		t.Fatalf("the API's listener with an admin key: %d, want 404 once the metrics have their own address", status)
	}
}
