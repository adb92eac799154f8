// Package httpapi is the daemon's REST transport: the route table, API-key
// authentication, the per-key rate limit, idempotent retries, the request
// log, problem documents, the event streams, the native agent endpoints,
// and the OpenAPI document and reference page. Every handler decodes,
// calls a service, and encodes; the services know nothing of HTTP.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/daemon/chat"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/daemon/webhook"
	"github.com/meeboter/meeboter/store"
)

// Services are what the handlers call.
type Services struct {
	Archive  *archive.Service // signed URLs of screenshots and recordings
	Life     *lifecycle.Service
	Agent    *agent.Service
	Account  *account.Service
	Chat     *chat.Service
	Feed     *feed.Hub
	Webhooks *webhook.Endpoints
	Session  *session.Service // the web console's sign-in links
	Store    store.Store      // idempotency records, which are the transport's own
}

// Config holds the transport's settings.
type Config struct {
	RateLimit float64 // requests per second per key
	RateBurst int
	// Health describes this daemon (version, engine, leadership) for the
	// health endpoints; Ready checks the database.
	Health func(status string) api.Health
	Ready  func(ctx context.Context) error
	// Bots serves the original bot images' protocol under /api/ (tRPC and
	// screenshot uploads); nil serves none.
	Bots http.Handler
	// PublicURL is the daemon's base URL, for the console links it issues.
	PublicURL string
	// Metrics serves GET /metrics to admin API keys; nil serves none (the
	// daemon then serves them on an address of their own, or not at all).
	Metrics http.Handler
	// Agent hears the duration of every native agent call; nil hears none.
	Agent AgentObserver
}

// API is the REST transport of one daemon.
type API struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	svc     Services
	limiter *rateLimiter
}

// New returns the transport.
func New(cfg Config, log *slog.Logger, now func() time.Time, svc Services) *API {
	return &API{cfg: cfg, log: log, now: now, svc: svc, limiter: newRateLimiter(cfg.RateLimit, cfg.RateBurst)}
}
