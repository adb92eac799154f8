package trpcapi

import (
	"net/http"
	"strings"
	"time"
)

// Observer hears how long each call of the bot protocol took, for
// metrics.
type Observer interface {
	AgentRequest(protocol, operation string, d time.Duration)
}

// procedureOps names the protocol's procedures as the native API's
// operations, so both protocols' latencies compare by operation.
var procedureOps = map[string]string{
	"bots.getConfig":                      "config",
	"infrastructure.coolify.pool.getSlot": "config",
	"bots.sendHeartbeat":                  "heartbeat",
	"bots.events.report":                  "events",
	"bots.updateStatus":                   "status",
	"bots.chat.dequeueMessage":            "chat",
	"bots.logs.stream":                    "logs",
	"bots.logs.flush":                     "logs",
}

// timed reports each request's duration. A batch of several procedures
// is one request to the bot and counts as "batch"; an unknown path as
// "other", so the label stays bounded whatever a client sends.
func timed(next http.Handler, obs Observer) http.Handler {
	if obs == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		obs.AgentRequest("trpc", operation(r.URL.Path), time.Since(start))
	})
}

func operation(path string) string {
	if strings.HasPrefix(path, "/api/bots/") && strings.HasSuffix(path, "/screenshots") {
		return "screenshot"
	}
	proc := strings.TrimPrefix(path, "/api/trpc/")
	if strings.Contains(proc, ",") {
		return "batch"
	}
	if op, ok := procedureOps[proc]; ok {
		return op
	}
	return "other"
}
