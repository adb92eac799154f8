// Package metrics is the daemon's Prometheus instrumentation, and the only
// package that imports the Prometheus client. Services report through small
// interfaces they define (lifecycle.Observer, webhook.Observer, the
// transports' AgentObserver), which Metrics implements; the platforms are
// timed by a decorator, the database by a driver connector wrapper, and
// what is best read than counted (bots by status, the queue, capacity,
// pool slots, endpoints, leadership) by a collector at scrape time.
//
// Label values are bounded: statuses, platforms, operations, outcomes and
// reason codes, never a bot, user or endpoint id.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "meeboter"

// Metrics holds the daemon's instruments on a registry of its own, so two
// daemons in one process (tests) never share counters.
type Metrics struct {
	reg *prometheus.Registry

	admissions     *prometheus.CounterVec
	queueEntries   prometheus.Counter
	queueWait      prometheus.Histogram
	botEnds        *prometheus.CounterVec
	heartbeats     *prometheus.HistogramVec
	agentRequests  *prometheus.HistogramVec
	platformCalls  *prometheus.HistogramVec
	platformErrors *prometheus.CounterVec
	deliveries     *prometheus.CounterVec
	deliveryTime   *prometheus.HistogramVec
	disabled       prometheus.Counter
	dbCalls        *prometheus.HistogramVec
	dbErrors       *prometheus.CounterVec
}

// New builds the instruments and registers them with the Go runtime and
// process collectors and the daemon's build information.
func New(version string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "build_info",
		Help: "Always 1; the version label says which meeboter runs.", ConstLabels: prometheus.Labels{"version": version}},
		func() float64 { return 1 }))
	m.lifecycle()
	m.agent()
	m.platforms()
	m.webhooks()
	m.database()
	return m
}

func (m *Metrics) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	return h
}

func (m *Metrics) lifecycle() {
	m.admissions = m.counter("admissions_total", "Bots given capacity on a platform (DEPLOYING), by platform.", "platform")
	m.queueEntries = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "queue_entries_total",
		Help: "Bots that entered the queue for want of capacity."})
	m.queueWait = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: "queue_wait_seconds",
		Help: "Time bots waited in the queue before they were admitted.", Buckets: prometheus.ExponentialBuckets(1, 2, 15)})
	m.reg.MustRegister(m.queueEntries, m.queueWait)
	m.botEnds = m.counter("bot_ends_total", "Bots that ended, by status (DONE, FATAL) and reason code.", "status", "reason")
}

func (m *Metrics) agent() {
	m.heartbeats = m.histogram("agent_heartbeat_duration_seconds", "Time to answer a bot's heartbeat, by protocol (native, trpc).",
		prometheus.ExponentialBuckets(0.0001, 2, 16), "protocol")
	m.agentRequests = m.histogram("agent_request_duration_seconds",
		"Time to answer the bot-facing calls other than heartbeats, by protocol and operation.",
		prometheus.ExponentialBuckets(0.0005, 2, 14), "protocol", "operation")
}

func (m *Metrics) platforms() {
	m.platformCalls = m.histogram("platform_call_duration_seconds", "Time of calls to the platforms, by platform and operation.",
		prometheus.ExponentialBuckets(0.005, 2, 14), "platform", "operation")
	m.platformErrors = m.counter("platform_call_errors_total", "Calls to the platforms that failed, by platform and operation.",
		"platform", "operation")
}

func (m *Metrics) webhooks() {
	m.deliveries = m.counter("webhook_deliveries_total",
		"Webhook attempts by outcome: delivered, retrying (failed, tried again later) or given_up.", "outcome")
	m.deliveryTime = m.histogram("webhook_delivery_duration_seconds", "Time receivers took to answer a webhook, by outcome.",
		prometheus.ExponentialBuckets(0.005, 2, 13), "outcome")
	m.disabled = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "webhook_endpoints_disabled_total",
		Help: "Webhook endpoints disabled for failing every delivery too long, or answering 410 Gone."})
	m.reg.MustRegister(m.disabled)
}

func (m *Metrics) database() {
	m.dbCalls = m.histogram("db_call_duration_seconds",
		"Time of database calls at the driver, by operation (exec, query, begin, commit, rollback).",
		prometheus.ExponentialBuckets(0.00005, 2, 16), "operation")
	m.dbErrors = m.counter("db_call_errors_total", "Database calls that failed at the driver, by operation.", "operation")
}

// Gatherer is the registry the metrics are on, for lints and tests.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Register adds a collector, such as the fleet's.
func (m *Metrics) Register(c prometheus.Collector) { m.reg.MustRegister(c) }

// Handler serves the metrics in the Prometheus text format (or the
// OpenMetrics one, when a scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{EnableOpenMetrics: true, Timeout: 10 * time.Second})
}

func seconds(d time.Duration) float64 { return d.Seconds() }
