package metrics

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
	"github.com/prometheus/client_golang/prometheus"
)

// Fleet is what the fleet collector reads when scraped.
type Fleet struct {
	Stats       func(ctx context.Context) (store.FleetStats, error)
	Capacity    func(ctx context.Context) (map[string]int, error)
	Limits      []store.PlatformLimit // the admission order, with limits
	Leading     func() bool
	Subscribers func() int
}

// fleetCacheFor is how long one read of the fleet serves scrapes: two
// Prometheus servers scraping every replica cost the database one read
// per replica and period, not one per scrape.
const fleetCacheFor = 2 * time.Second

// NewFleetCollector reads the fleet's counts from the database at scrape
// time, so the gauges are the database's truth rather than counters kept
// by hand at every write. The counts are of the whole fleet: every replica
// reports the same ones, so aggregate them with max, not sum.
func NewFleetCollector(f Fleet) prometheus.Collector { return &fleetCollector{f: f} }

type fleetCollector struct {
	f Fleet

	mu      sync.Mutex
	at      time.Time
	metrics []prometheus.Metric
}

var (
	descBots      = desc("bots", "Bots by status and platform (none before admission).", "status", "platform")
	descQueue     = desc("queue_depth", "Bots waiting in the queue for capacity.")
	descUsed      = desc("capacity_used", "Bots holding capacity on a platform.", "platform")
	descLimit     = desc("capacity_limit", "The most bots a platform may hold at once.", "platform")
	descSlots     = desc("pool_slots", "Reusable container slots by platform and status.", "platform", "status")
	descEndpoints = desc("webhook_endpoints", "Webhook endpoints by state: active, failing (since their last success) or disabled.", "state")
	descOutbox    = desc("webhook_outbox_due", "Webhook deliveries not yet delivered nor given up.")
	descLeader    = desc("leader", "1 while this daemon holds the leader lease and runs the workers.")
	descSubs      = desc("stream_subscribers", "Event streams this daemon serves.")
	descFleetOK   = desc("fleet_read_ok", "1 when the last read of the fleet's counts succeeded; the counts are absent otherwise.")
)

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, labels, nil)
}

func (c *fleetCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descBots, descQueue, descUsed, descLimit, descSlots, descEndpoints, descOutbox,
		descLeader, descSubs, descFleetOK} {
		ch <- d
	}
}

func (c *fleetCollector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.read() {
		ch <- m
	}
	ch <- gauge(descLeader, boolValue(c.f.Leading()))
	ch <- gauge(descSubs, float64(c.f.Subscribers()))
}

// read returns the cached counts, reading them again when stale.
func (c *fleetCollector) read() []prometheus.Metric {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) < fleetCacheFor && c.metrics != nil {
		return c.metrics
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.f.Stats(ctx)
	var used map[string]int
	if err == nil {
		used, err = c.f.Capacity(ctx)
	}
	if err != nil {
		return []prometheus.Metric{gauge(descFleetOK, 0)}
	}
	c.at, c.metrics = time.Now(), append(c.fleetMetrics(st, used), gauge(descFleetOK, 1))
	return c.metrics
}

// fleetMetrics turns one read into gauges. Every status of every known
// platform is reported, zero included, so a series does not vanish when
// its last bot moves on.
func (c *fleetCollector) fleetMetrics(st store.FleetStats, used map[string]int) []prometheus.Metric {
	counts := map[[2]string]int{}
	platforms := []string{"none"}
	for _, l := range c.f.Limits {
		platforms = append(platforms, l.Name)
	}
	for _, b := range st.Bots {
		p := b.Platform
		if p == "" {
			p = "none"
		}
		counts[[2]string{b.Status, p}] += b.N
	}
	var out []prometheus.Metric
	for _, p := range platforms {
		for _, s := range api.AllStatuses {
			out = append(out, gauge(descBots, float64(counts[[2]string{string(s), p}]), string(s), p))
		}
	}
	for _, l := range c.f.Limits {
		out = append(out, gauge(descUsed, float64(used[l.Name]), l.Name), gauge(descLimit, float64(l.Limit), l.Name))
	}
	return append(append(out, slotMetrics(st.Slots)...), backlogMetrics(st)...)
}

// slotMetrics reports each pool platform's slots in every status.
func slotMetrics(slots []store.SlotCount) []prometheus.Metric {
	counts := map[[2]string]int{}
	var platforms []string
	for _, sl := range slots {
		if !slices.Contains(platforms, sl.Platform) {
			platforms = append(platforms, sl.Platform)
		}
		counts[[2]string{sl.Platform, sl.Status}] += sl.N
	}
	var out []prometheus.Metric
	for _, p := range platforms {
		for _, s := range []string{store.SlotIdle, store.SlotDeploying, store.SlotHealthy, store.SlotError} {
			out = append(out, gauge(descSlots, float64(counts[[2]string{p, s}]), p, s))
		}
	}
	return out
}

// backlogMetrics are the queue, the webhook outbox and the endpoints.
func backlogMetrics(st store.FleetStats) []prometheus.Metric {
	e := st.Endpoints
	return []prometheus.Metric{gauge(descQueue, float64(st.QueueDepth)), gauge(descOutbox, float64(st.OutboxDue)),
		gauge(descEndpoints, float64(e.Active), "active"), gauge(descEndpoints, float64(e.Failing), "failing"),
		gauge(descEndpoints, float64(e.Disabled), "disabled")}
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
