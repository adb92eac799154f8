package metrics

import (
	"time"

	"github.com/meeboter/meeboter/api"
)

// The observers the services and transports report through. They are
// cheap: a map lookup and an atomic add.

// Admitted counts a bot given capacity on platform.
func (m *Metrics) Admitted(platform string) { m.admissions.WithLabelValues(platform).Inc() }

// Queued counts a bot entering the queue.
func (m *Metrics) Queued() { m.queueEntries.Inc() }

// QueueWait records how long an admitted bot waited in the queue.
func (m *Metrics) QueueWait(d time.Duration) { m.queueWait.Observe(seconds(d)) }

// Ended counts a bot that ended. Reason codes of the daemon's own are kept;
// bots may report any sub-code of theirs, which would make the label
// unbounded, so those count as "bot_reported".
func (m *Metrics) Ended(status api.BotStatus, reason string) {
	if !knownReasons[reason] {
		reason = "bot_reported"
	}
	m.botEnds.WithLabelValues(string(status), reason).Inc()
}

var knownReasons = map[string]bool{
	api.ReasonCompleted: true, api.ReasonLeftByRequest: true, api.ReasonHeartbeatTimeout: true,
	api.ReasonDeployTimeout: true, api.ReasonQueueTimeout: true, api.ReasonCancelled: true,
	api.ReasonPlatformError: true, api.ReasonResourceVanished: true, api.ReasonBotError: true,
	"resource_failed": true,
}

// AgentRequest records one bot-facing call: heartbeats on their own
// histogram (the hot path, with finer buckets), the rest by operation.
func (m *Metrics) AgentRequest(protocol, operation string, d time.Duration) {
	if operation == "heartbeat" {
		m.heartbeats.WithLabelValues(protocol).Observe(seconds(d))
		return
	}
	m.agentRequests.WithLabelValues(protocol, operation).Observe(seconds(d))
}

// WebhookAttempt counts one webhook attempt by outcome, with the time the
// receiver took.
func (m *Metrics) WebhookAttempt(outcome string, latency time.Duration) {
	m.deliveries.WithLabelValues(outcome).Inc()
	m.deliveryTime.WithLabelValues(outcome).Observe(seconds(latency))
}

// WebhookEndpointDisabled counts an endpoint disabled for failing.
func (m *Metrics) WebhookEndpointDisabled() { m.disabled.Inc() }
