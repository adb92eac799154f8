package openapigen

import (
	"fmt"
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/httpapi"
)

// authKind is how an endpoint authenticates its caller.
type authKind int

const (
	authAPIKey authKind = iota
	authBotToken
	authNone
)

// endpoint is one operation of the OpenAPI document: a route of the user
// API or one of the endpoints described below, which are registered by
// hand in Handler and agentRoutes.
type endpoint struct {
	pattern  string
	summary  string
	in, out  any
	noReplay bool   // takes no Idempotency-Key: its answer holds a secret
	text     string // the media type of a body that is not JSON
	auth     authKind
	status   int  // success status; 0 derives it from the pattern and out
	stream   bool // out is sent as server-sent events
	tag      string
	extra    obj // further responses, by status code
}

// documentedEndpoints is everything the OpenAPI document describes. The
// user API comes from the transport's route table, so its endpoints
// cannot be forgotten; the rest are listed here and a test compares them
// with the transport's routes.go.
func documentedEndpoints() []endpoint {
	var out []endpoint
	for _, rt := range httpapi.RouteDocs() {
		out = append(out, endpoint{pattern: rt.Pattern, summary: rt.Summary, in: rt.In, out: rt.Out, noReplay: rt.NoReplay})
	}
	out = append(out, streamEndpoints()...)
	out = append(out, agentEndpoints()...)
	return append(out, healthEndpoints()...)
}

func streamEndpoints() []endpoint {
	return []endpoint{
		{pattern: "GET /v1/bots/{id}/stream", out: api.StreamEvent{}, stream: true,
			summary: "Follow one bot: its current state first, then every change, event and log line; send Last-Event-ID (or lastEventId) to resume"},
		{pattern: "GET /v1/events/stream", out: api.StreamEvent{}, stream: true,
			summary: "Follow every bot of yours: hello at once, then changes and heartbeats; status (repeatable) narrows to bots entering those statuses, logs=true adds log lines; send Last-Event-ID (or lastEventId) to resume"},
	}
}

// agentEndpoints are the bot-facing API of agentRoutes. A bot that has
// ended is answered 410 Gone: its process should exit.
func agentEndpoints() []endpoint {
	gone := obj{"410": problemResponseRef(http.StatusGone)}
	return []endpoint{
		{pattern: "GET /v1/agent/config", out: api.AgentConfig{}, auth: authBotToken, extra: gone,
			summary: "What the bot needs to join its call"},
		{pattern: "GET /v1/agent/slot", out: api.AgentConfig{}, auth: authBotToken,
			extra:   obj{"404": problemResponseRef(http.StatusNotFound), "410": gone["410"]},
			summary: "A Coolify pool slot's container, with its slot token, reads the config of the bot the slot runs now: 404 when it runs none, 410 when that bot ended or is leaving (the container exits)"},
		{pattern: "POST /v1/agent/heartbeat", out: api.AgentHeartbeat{}, auth: authBotToken,
			summary: "Report that the bot is alive; the answer says whether to leave and the level to log at"},
		{pattern: "POST /v1/agent/status", in: api.AgentStatusRequest{}, out: api.AgentHeartbeat{}, auth: authBotToken,
			extra:   obj{"409": problemResponseRef(http.StatusConflict), "410": gone["410"]},
			summary: "Report a status change"},
		{pattern: "POST /v1/agent/events", in: api.AgentEventsRequest{}, out: api.Accepted{}, auth: authBotToken, extra: gone,
			summary: "Report a batch of events"},
		{pattern: "POST /v1/agent/logs", in: api.AgentLogsRequest{}, out: api.Accepted{}, auth: authBotToken, extra: gone,
			summary: "Send a batch of log lines; entry ids deduplicate retries"},
		{pattern: "POST /v1/agent/chat/dequeue", out: api.AgentChatMessage{}, auth: authBotToken,
			extra:   obj{"204": obj{"description": "No message is waiting."}},
			summary: "Take the next chat message to post, if one is waiting"},
		{pattern: "POST /v1/agent/screenshots", in: screenshotForm(), out: api.Screenshot{}, auth: authBotToken,
			status: http.StatusCreated, extra: gone,
			summary: "Upload a screenshot (PNG) as multipart/form-data"},
	}
}

func healthEndpoints() []endpoint {
	return []endpoint{
		{pattern: "GET /metrics", text: "text/plain; version=0.0.4", status: http.StatusOK, tag: "health",
			extra:   obj{"404": obj{"description": "The caller is no admin, or the metrics have an address of their own (MEEBOTER_METRICS_ADDR)."}},
			summary: "Prometheus metrics, for admin API keys; with MEEBOTER_METRICS_ADDR set they are served there instead, unauthenticated"},
		{pattern: "GET /healthz", out: api.Health{}, auth: authNone, tag: "health",
			summary: "Liveness: the process answers"},
		{pattern: "GET /readyz", out: api.Health{}, auth: authNone, tag: "health",
			extra:   obj{"503": obj{"description": "The database does not answer.", "content": jsonContent(schemaRef("Health"))}},
			summary: "Readiness: the database answers"},
	}
}

// formBody is a request body sent as multipart/form-data, described by
// its schema.
type formBody obj

func screenshotForm() formBody {
	return formBody{
		"type":     "object",
		"required": []string{"file", "type", "state"},
		"properties": obj{
			"file":    obj{"type": "string", "contentMediaType": "image/png", "description": fmt.Sprintf("The image, at most %d MiB.", agent.MaxScreenshot>>20)},
			"type":    schemaRef("ScreenshotType"),
			"state":   obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "The bot's state when it took the screenshot."},
			"trigger": obj{"type": "string", "maxLength": 1024, "description": "What made the bot take it."},
		},
	}
}

// createdRoutes answer 201 Created; the route table does not say so.
var createdRoutes = map[string]bool{
	"POST /v1/bots":                            true,
	"POST /v1/bots/{id}/chat":                  true,
	"POST /v1/chat/templates":                  true,
	"POST /v1/console/links":                   true,
	"POST /v1/keys":                            true,
	"POST /v1/users":                           true,
	"POST /v1/users/{id}/reset-keys":           true,
	"POST /v1/webhooks":                        true,
	"POST /v1/webhooks/deliveries/{id}/resend": true,
}

// conflictRoutes may answer 409: the resource's state or an existing one
// does not allow the change.
var conflictRoutes = map[string]bool{
	"POST /v1/bots":             true, // capacity_unavailable: the scheduled window is booked out
	"PATCH /v1/bots/{id}":       true,
	"DELETE /v1/bots/{id}":      true,
	"POST /v1/bots/{id}/cancel": true,
	"POST /v1/bots/{id}/leave":  true,
	"POST /v1/bots/{id}/chat":   true,
	"POST /v1/users":            true,
}

// unpagedListings return a List whole, without cursor and limit.
var unpagedListings = map[string]bool{
	"GET /v1/queue":      true,
	"GET /v1/pool/slots": true,
	"GET /v1/plans":      true,
}

// adminRoutes are for admins only; to members they answer 404, as if they
// did not exist.
var adminRoutes = map[string]bool{
	"POST /v1/users":                 true,
	"GET /v1/users":                  true,
	"POST /v1/users/{id}/reset-keys": true,
	"GET /v1/users/{id}":             true,
	"PATCH /v1/users/{id}":           true,
	"GET /v1/plans":                  true,
	"POST /v1/plans":                 true,
}
