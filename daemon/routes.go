package daemon

import (
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// Handler is the daemon's whole HTTP surface: one route table.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	mux.HandleFunc("GET /docs", serveDocs)

	authed := http.NewServeMux()
	for _, rt := range s.userRoutes() {
		authed.Handle(rt.pattern, s.idempotent(s.wrap(rt.handler)))
	}
	authed.Handle("GET /v1/bots/{id}/stream", http.HandlerFunc(s.streamBot))
	authed.Handle("GET /v1/events/stream", http.HandlerFunc(s.streamFleet))
	mux.Handle("/v1/", s.authenticated(problemFallback(authed)))

	s.agentRoutes(mux)
	if s.botRoutes != nil {
		mux.Handle("/api/", s.botRoutes)
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
func (s *Server) userRoutes() []route {
	return []route{
		{"POST /v1/bots", s.createBot, "Create a bot; it is admitted (DEPLOYING) or queued (QUEUED with a position) at once unless joinAt is later than the schedule lead", api.CreateBotRequest{}, api.Bot{}},
		{"GET /v1/bots", s.listBots, "List your bots, newest first; filters: status (repeatable), meetingPlatform, createdFrom, createdTo, metadata=key=value (repeatable); cursor, limit", nil, api.List[api.Bot]{}},
		{"GET /v1/bots/{id}", s.getBot, "Get a bot", nil, api.Bot{}},
		{"PATCH /v1/bots/{id}", s.updateBot, "Change a bot that is not deployed yet (SCHEDULED or QUEUED); a new joinAt reschedules it", api.UpdateBotRequest{}, api.Bot{}},
		{"DELETE /v1/bots/{id}", s.deleteBot, "Delete a bot that has ended or not started, with its events, logs, chat and screenshots", nil, nil},
		{"POST /v1/bots/{id}/cancel", s.cancelBot, "Cancel a bot that has not joined its call; it leaves the queue for good", nil, api.Bot{}},
		{"POST /v1/bots/{id}/leave", s.leaveBot, "Ask a bot to leave its call (LEAVING until it reports DONE); a bot not started yet is cancelled", nil, api.Bot{}},
		{"POST /v1/bots/{id}/log-level", s.setLogLevel, "Change the level a bot logs at, from its next heartbeat", api.LogLevelRequest{}, api.Bot{}},
		{"POST /v1/bots/leave", s.bulk(s.leave), "Ask many bots to leave", api.BulkRequest{}, api.BulkResult{}},
		{"POST /v1/bots/cancel", s.bulk(s.cancel), "Cancel many bots", api.BulkRequest{}, api.BulkResult{}},
		{"GET /v1/bots/{id}/events", s.botEvents(), "Page a bot's events, oldest first", nil, api.List[api.Event]{}},
		{"GET /v1/bots/{id}/logs", s.botLogs(), "Page a bot's log, oldest first", nil, api.List[api.LogEntry]{}},
		{"GET /v1/bots/{id}/screenshots", s.botScreenshots(), "Page a bot's screenshots, oldest first", nil, api.List[api.Screenshot]{}},
		{"POST /v1/bots/{id}/chat", s.sendChat, "Queue a chat message for a bot to post", api.SendChatRequest{}, api.ChatMessage{}},
		{"GET /v1/bots/{id}/chat", s.botChatHistory(), "Page a bot's chat messages, oldest first", nil, api.List[api.ChatMessage]{}},
		{"POST /v1/chat/messages", s.broadcastChat, "Queue one message for many bots", api.BroadcastChatRequest{}, api.BulkResult{}},
		{"POST /v1/chat/templates", s.createTemplate, "Create a chat template", api.TemplateRequest{}, api.Template{}},
		{"GET /v1/chat/templates", s.listTemplates, "List your chat templates, newest first", nil, api.List[api.Template]{}},
		{"GET /v1/chat/templates/{id}", s.getTemplate, "Get a chat template", nil, api.Template{}},
		{"PATCH /v1/chat/templates/{id}", s.updateTemplate, "Replace a template's name and messages", api.TemplateRequest{}, api.Template{}},
		{"DELETE /v1/chat/templates/{id}", s.deleteTemplate, "Delete a chat template", nil, nil},
		{"POST /v1/chat/templates/{id}/send", s.sendTemplate, "Queue one of the template's messages, at random, for each bot", api.SendTemplateRequest{}, api.BulkResult{}},
		{"POST /v1/keys", s.createKey, "Create an API key; its secret is in this answer only", api.CreateKeyRequest{}, api.CreatedKey{}},
		{"GET /v1/keys", s.listKeys, "List your API keys (never their secrets), newest first", nil, api.List[api.APIKey]{}},
		{"POST /v1/keys/{id}/revoke", s.revokeKey, "Revoke an API key for good", nil, api.APIKey{}},
		{"GET /v1/keys/logs", s.keyLogs, "Page the request log of all your keys, newest first", nil, api.List[api.RequestLog]{}},
		{"GET /v1/keys/{id}/logs", s.keyLogs, "Page the request log of one key, newest first", nil, api.List[api.RequestLog]{}},
		{"GET /v1/me", s.me, "Who you are", nil, api.User{}},
		{"POST /v1/users", s.createUser, "Create a user with a first API key (admins only)", api.CreateUserRequest{}, api.CreatedUser{}},
		{"GET /v1/users", s.listUsers, "List users (admins only)", nil, api.List[api.User]{}},
		{"POST /v1/users/{id}/reset-keys", s.resetKeys, "Revoke every key of a user and issue a new one (admins only)", nil, api.CreatedKey{}},
		{"GET /v1/usage", s.getUsage, "Bots and bot-minutes per day; from, to (YYYY-MM-DD, default the last 7 days), timeZone (IANA, default UTC)", nil, api.Usage{}},
		{"GET /v1/plan", s.getPlan, "Your plan, daily limit and today's remaining bots; timeZone", nil, api.Plan{}},
		{"GET /v1/queue", s.listQueue, "Your queued bots with positions and estimated waits (admins: the whole queue)", nil, api.List[api.QueueEntry]{}},
		{"GET /v1/pool", s.poolStatus, "Capacity per platform, the queue and bot counts", nil, api.PoolStatus{}},
		{"GET /v1/pool/slots", s.listSlots, "The reusable container slots", nil, api.List[api.PoolSlot]{}},
	}
}

// agentRoutes are the bot-facing API, authenticated by per-bot tokens.
func (s *Server) agentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/agent/config", s.agentAuth(s.agentConfigHandler))
	mux.HandleFunc("POST /v1/agent/heartbeat", s.agentAuth(s.agentHeartbeatHandler))
	mux.HandleFunc("POST /v1/agent/status", s.agentAuth(s.agentStatusHandler))
	mux.HandleFunc("POST /v1/agent/events", s.agentAuth(s.agentEventsHandler))
	mux.HandleFunc("POST /v1/agent/logs", s.agentAuth(s.agentLogsHandler))
	mux.HandleFunc("POST /v1/agent/chat/dequeue", s.agentAuth(s.agentDequeueHandler))
	mux.HandleFunc("POST /v1/agent/screenshots", s.agentAuth(s.agentScreenshotHandler))
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

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.health("ok"))
}

// readyz is ready when the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.store.CountUsers(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, s.health("database unavailable"))
		return
	}
	writeJSON(w, http.StatusOK, s.health("ready"))
}
