package httpapi

import (
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// Handler is the daemon's whole HTTP surface: one route table.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	mux.HandleFunc("GET /docs", serveDocs)

	authed := http.NewServeMux()
	for _, rt := range a.userRoutes() {
		if holdsSecret[rt.pattern] {
			authed.Handle(rt.pattern, noReplay(a.wrap(rt.handler)))
			continue
		}
		authed.Handle(rt.pattern, a.idempotent(a.wrap(rt.handler)))
	}
	authed.Handle("GET /v1/bots/{id}/stream", http.HandlerFunc(a.streamBot))
	authed.Handle("GET /v1/events/stream", http.HandlerFunc(a.streamFleet))
	mux.Handle("/v1/", a.authenticated(problemFallback(authed)))

	a.agentRoutes(mux)
	if a.cfg.Bots != nil {
		mux.Handle("/api/", a.cfg.Bots)
	}
	if a.cfg.Metrics != nil {
		mux.Handle("GET /metrics", a.authenticated(a.adminOnly(a.cfg.Metrics)))
	}
	return mux
}

// route is one endpoint with what the OpenAPI document says of it: a
// summary and zero values of its request and response bodies (nil: none).
type route struct {
	pattern string
	handler handlerFunc
	summary string
	in, out any
}

// userRoutes are the REST API of API-key holders. The OpenAPI document
// lists exactly these (a test keeps the two equal).
func (a *API) userRoutes() []route {
	return []route{
		{"POST /v1/bots", a.createBot, "Create a bot; it is admitted (DEPLOYING) or queued (QUEUED with a position) at once unless joinAt is later than the schedule lead", api.CreateBotRequest{}, api.Bot{}},
		{"GET /v1/bots", a.listBots, "List your bots, newest first; filters: status (repeatable), meetingPlatform, createdFrom, createdTo, metadata=key=value (repeatable); cursor, limit", nil, api.List[api.Bot]{}},
		{"GET /v1/bots/{id}", a.getBot, "Get a bot", nil, api.Bot{}},
		{"PATCH /v1/bots/{id}", a.updateBot, "Change a bot that is not deployed yet (SCHEDULED or QUEUED); a new joinAt reschedules it", api.UpdateBotRequest{}, api.Bot{}},
		{"DELETE /v1/bots/{id}", a.deleteBot, "Delete a bot that has ended or not started, with its events, logs, chat, screenshots and recording", nil, nil},
		{"POST /v1/bots/{id}/cancel", a.cancelBot, "Cancel a bot that has not joined its call; it leaves the queue for good", nil, api.Bot{}},
		{"POST /v1/bots/{id}/leave", a.leaveBot, "Ask a bot to leave its call (LEAVING until it reports DONE); a bot not started yet is cancelled", nil, api.Bot{}},
		{"POST /v1/bots/{id}/log-level", a.setLogLevel, "Change the level a bot logs at, from its next heartbeat", api.LogLevelRequest{}, api.Bot{}},
		{"POST /v1/bots/leave", a.bulk(a.svc.Life.Leave), "Ask many bots to leave", api.BulkRequest{}, api.BulkResult{}},
		{"POST /v1/bots/cancel", a.bulk(a.svc.Life.Cancel), "Cancel many bots", api.BulkRequest{}, api.BulkResult{}},
		{"GET /v1/bots/{id}/events", a.botEvents(), "Page a bot's events, oldest first", nil, api.List[api.Event]{}},
		{"GET /v1/bots/{id}/logs", a.botLogs(), "Page a bot's whole log, archived and live, oldest first; the cursor is the last line's id", nil, api.List[api.LogEntry]{}},
		{"GET /v1/bots/{id}/screenshots", a.botScreenshots, "Page a bot's screenshots, oldest first, each with a short-lived signed url of its image", nil, api.List[api.Screenshot]{}},
		{"GET /v1/bots/{id}/recording", a.botRecording, "A signed url of the recording the bot reported with DONE, valid until expiresAt; 404 when it reported none", nil, api.Recording{}},
		{"POST /v1/bots/{id}/chat", a.sendChat, "Queue a chat message for a bot to post", api.SendChatRequest{}, api.ChatMessage{}},
		{"GET /v1/bots/{id}/chat", a.botChatHistory(), "Page a bot's chat messages, oldest first", nil, api.List[api.ChatMessage]{}},
		{"POST /v1/chat/messages", a.broadcastChat, "Queue one message for many bots", api.BroadcastChatRequest{}, api.BulkResult{}},
		{"POST /v1/chat/templates", a.createTemplate, "Create a chat template", api.TemplateRequest{}, api.Template{}},
		{"GET /v1/chat/templates", a.listTemplates, "List your chat templates, newest first", nil, api.List[api.Template]{}},
		{"GET /v1/chat/templates/{id}", a.getTemplate, "Get a chat template", nil, api.Template{}},
		{"PATCH /v1/chat/templates/{id}", a.updateTemplate, "Replace a template's name and messages", api.TemplateRequest{}, api.Template{}},
		{"DELETE /v1/chat/templates/{id}", a.deleteTemplate, "Delete a chat template", nil, nil},
		{"POST /v1/chat/templates/{id}/send", a.sendTemplate, "Queue one of the template's messages, at random, for each bot", api.SendTemplateRequest{}, api.BulkResult{}},
		{"POST /v1/keys", a.createKey, "Create an API key; its secret is in this answer only", api.CreateKeyRequest{}, api.CreatedKey{}},
		{"GET /v1/keys", a.listKeys, "List your API keys (never their secrets), newest first", nil, api.List[api.APIKey]{}},
		{"POST /v1/keys/{id}/revoke", a.revokeKey, "Revoke an API key for good", nil, api.APIKey{}},
		{"GET /v1/keys/logs", a.keyLogs, "Page the request log of all your keys, newest first", nil, api.List[api.RequestLog]{}},
		{"GET /v1/keys/{id}/logs", a.keyLogs, "Page the request log of one key, newest first", nil, api.List[api.RequestLog]{}},
		{"GET /v1/me", a.me, "Who you are", nil, api.User{}},
		{"POST /v1/users", a.createUser, "Create a user with a first API key (admins only)", api.CreateUserRequest{}, api.CreatedUser{}},
		{"GET /v1/users", a.listUsers, "List users (admins only)", nil, api.List[api.User]{}},
		{"GET /v1/users/{id}", a.getUser, "Get a user with their plan and own limits (admins only)", nil, api.User{}},
		{"PATCH /v1/users/{id}", a.updateUser, "Change a user's plan, daily limit, concurrency cap or duplicate window; clear names members to reset (admins only)", api.UpdateUserRequest{}, api.User{}},
		{"GET /v1/plans", a.listPlans, "List the plans (admins only)", nil, api.List[api.PlanLimits]{}},
		{"POST /v1/plans", a.createPlan, "Create a plan: daily bots, concurrent bots, maximum bot duration (admins only)", api.CreatePlanRequest{}, api.PlanLimits{}},
		{"POST /v1/users/{id}/reset-keys", a.resetKeys, "Revoke every key of a user and issue a new one (admins only)", nil, api.CreatedKey{}},
		{"GET /v1/usage", a.getUsage, "Bots and bot-minutes per day, and bot-hours with their estimated cost per platform; from, to (YYYY-MM-DD, default the last 7 days), timeZone (IANA, default UTC)", nil, api.Usage{}},
		{"GET /v1/capacity/forecast", a.capacityForecast, "Reserved, running and free capacity per platform per step; from, to (RFC 3339, default the next hour), step (seconds or a duration, default 5m)", nil, api.CapacityForecast{}},
		{"GET /v1/stats/admission", a.admissionStats, "How your bots fared in waiting rooms per meeting platform and host: share admitted, timed out, refused, and waits (p50, p90); from, to (RFC 3339, default the last 7 days)", nil, api.AdmissionStats{}},
		{"GET /v1/plan", a.getPlan, "Your plan: daily limit and today's remaining bots, concurrency cap and running bots; timeZone", nil, api.Plan{}},
		{"GET /v1/queue", a.listQueue, "Your queued bots with positions and estimated waits (admins: the whole queue)", nil, api.List[api.QueueEntry]{}},
		{"GET /v1/pool", a.poolStatus, "Capacity per platform, the queue and bot counts", nil, api.PoolStatus{}},
		{"GET /v1/pool/slots", a.listSlots, "The reusable container slots", nil, api.List[api.PoolSlot]{}},
		{"POST /v1/pool/slots", a.createSlots, "Add idle Coolify slots for a meeting platform, within COOLIFY_POOL_MAX; their applications are made and their image pulled in the background (admins only)", api.CreateSlotsRequest{}, api.List[api.PoolSlot]{}},
		{"DELETE /v1/pool/slots/{id}", a.deleteSlot, "Delete a slot and its Coolify application; the bot it runs ends FATAL (admins only)", nil, nil},
		{"POST /v1/pool/sync", a.syncPool, "Reconcile the pool with Coolify's applications now; a failed listing changes nothing (admins only)", nil, api.PoolSyncResult{}},
		{"POST /v1/console/links", a.createConsoleLink, "Create a one-time link that signs a browser in to the web console as you; it works once, for two minutes", nil, api.ConsoleLink{}},
		{"POST /v1/webhooks", a.createWebhook, "Register a webhook endpoint (url, eventTypes filter, description); its signing secret is in this answer only", api.CreateWebhookRequest{}, api.CreatedWebhookEndpoint{}},
		{"GET /v1/webhooks", a.listWebhooks, "List your webhook endpoints, newest first; a disabled one says when and why", nil, api.List[api.WebhookEndpoint]{}},
		{"GET /v1/webhooks/{id}", a.getWebhook, "Get a webhook endpoint", nil, api.WebhookEndpoint{}},
		{"PATCH /v1/webhooks/{id}", a.updateWebhook, "Change a webhook endpoint's url, eventTypes or description; enabled=true turns a disabled one back on", api.UpdateWebhookRequest{}, api.WebhookEndpoint{}},
		{"DELETE /v1/webhooks/{id}", a.deleteWebhook, "Delete a webhook endpoint with its delivery log", nil, nil},
		{"POST /v1/webhooks/{id}/rotate-secret", a.rotateWebhook, "Give an endpoint a new signing secret, in this answer only; for 24 hours webhooks carry signatures with both", nil, api.CreatedWebhookEndpoint{}},
		{"GET /v1/webhooks/{id}/deliveries", a.webhookDeliveries, "Page an endpoint's delivery log, newest first: state, attempts, last status code, latency, the answer's first KiB", nil, api.List[api.WebhookDelivery]{}},
		{"POST /v1/webhooks/deliveries/{id}/resend", a.resendWebhook, "Send a delivery again, as the same message (the same webhook-id)", nil, api.WebhookDelivery{}},
	}
}

// agentRoutes are the bot-facing API, authenticated by per-bot tokens.
func (a *API) agentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/agent/config", a.timedAgent("config", a.agentAuth(a.agentConfigHandler)))
	mux.HandleFunc("GET /v1/agent/slot", a.timedAgent("slot", a.wrap(a.agentSlotHandler)))
	mux.HandleFunc("POST /v1/agent/heartbeat", a.timedAgent("heartbeat", a.agentBeatAuth(a.agentHeartbeatHandler)))
	mux.HandleFunc("POST /v1/agent/status", a.timedAgent("status", a.agentAuth(a.agentStatusHandler)))
	mux.HandleFunc("POST /v1/agent/events", a.timedAgent("events", a.agentAuth(a.agentEventsHandler)))
	mux.HandleFunc("POST /v1/agent/logs", a.timedAgent("logs", a.agentAuth(a.agentLogsHandler)))
	mux.HandleFunc("POST /v1/agent/chat/dequeue", a.timedAgent("chat", a.agentAuth(a.agentDequeueHandler)))
	mux.HandleFunc("POST /v1/agent/screenshots", a.timedAgent("screenshot", a.agentAuth(a.agentScreenshotHandler)))
}

// problemFallback answers unknown paths and methods under /v1 with problem
// documents (404 not_found, 405 method_not_allowed with Allow) instead of
// the mux's plain text.
func problemFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, p := mux.Handler(probe); p != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			writeProblem(w, r, newProblem(http.StatusNotFound, api.CodeNotFound, "no such endpoint"))
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, newProblem(http.StatusMethodNotAllowed, api.CodeMethodNotAllowed, "use %s", strings.Join(allow, " or ")))
	})
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.cfg.Health("ok"))
}

// readyz is ready when the database answers.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	if err := a.cfg.Ready(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, a.cfg.Health("database unavailable"))
		return
	}
	writeJSON(w, http.StatusOK, a.cfg.Health("ready"))
}

// RouteDoc is what the OpenAPI document says of one user route: its
// pattern, a summary, and zero values of its request and response bodies
// (nil: none). The route table is the document's single source.
type RouteDoc struct {
	Pattern, Summary string
	In, Out          any
	// NoReplay marks a POST that takes no Idempotency-Key: its answer
	// holds a secret, which a replay would have to store.
	NoReplay bool
}

// RouteDocs lists the user routes, in table order. It reads a zero API:
// the table only takes method values, touching none of its fields.
func RouteDocs() []RouteDoc {
	rts := (&API{}).userRoutes()
	out := make([]RouteDoc, len(rts))
	for i, rt := range rts {
		out[i] = RouteDoc{Pattern: rt.pattern, Summary: rt.summary, In: rt.in, Out: rt.out, NoReplay: holdsSecret[rt.pattern]}
	}
	return out
}
