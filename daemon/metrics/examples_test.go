package metrics_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/daemon/metrics"
)

const examples = "../../examples"

// metricNames lists the metric families the daemon exposes, histograms
// and counters with the series names queries use.
func metricNames(t *testing.T, m *metrics.Metrics) map[string]bool {
	t.Helper()
	fams, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range fams {
		name := f.GetName()
		out[name] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				out[name+s] = true
			}
		}
	}
	return out
}

var metricRef = regexp.MustCompile(`\b(meeboter|go|process)_[a-z_]+`)

// TestExamplesUseRealMetrics checks every metric the dashboard and the
// alert rules query is one the daemon exposes: a renamed metric must not
// leave a panel or an alert silently empty.
func TestExamplesUseRealMetrics(t *testing.T) {
	t.Parallel()
	m, _ := exercised(t)
	known := metricNames(t, m)
	var dash struct {
		Panels []struct {
			Title   string
			Type    string
			Targets []struct{ Expr string }
		}
	}
	raw, err := os.ReadFile(filepath.Join(examples, "grafana", "meeboter.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	var queries []string
	for _, p := range dash.Panels {
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q queries nothing", p.Title)
		}
		for _, tg := range p.Targets {
			queries = append(queries, tg.Expr)
		}
	}
	rules, err := os.ReadFile(filepath.Join(examples, "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(queries, string(rules)) {
		for _, name := range metricRef.FindAllString(q, -1) {
			if !known[name] {
				t.Errorf("%s is queried but not exposed", name)
			}
		}
	}
}

// TestAlertRules checks the alert rules with promtool, and runs their unit
// tests: each alert fires on the series meant to fire it, and only then.
func TestAlertRules(t *testing.T) {
	t.Parallel()
	promtool := lookPromtool(t)
	dir := filepath.Join(examples, "prometheus")
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestPrometheusConfig checks the example scrape configuration, with its
// key file where promtool can see one.
func TestPrometheusConfig(t *testing.T) {
	t.Parallel()
	promtool := lookPromtool(t)
	cfg, err := os.ReadFile(filepath.Join(examples, "prometheus", "prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	if err := os.WriteFile(key, []byte("mbk_example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rules, _ := os.ReadFile(filepath.Join(examples, "prometheus", "alerts.yml"))
	_ = os.WriteFile(filepath.Join(dir, "alerts.yml"), rules, 0o600)
	text := strings.ReplaceAll(string(cfg), "/etc/prometheus/meeboter-api-key", key)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "config", filepath.Join(dir, "prometheus.yml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
}

func lookPromtool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("MEEBOTER_REQUIRE_PROMTOOL") != "" {
			t.Fatal("MEEBOTER_REQUIRE_PROMTOOL is set but promtool is not installed")
		}
		t.Skip("promtool is not installed (Debian: apt-get install prometheus)")
	}
	return path
}
