package coolifytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Routes, named as Fault.Route and Calls name them: method and path under
// /api/v1, with Coolify's placeholders.
const (
	RouteHealth         = "GET /health"
	RouteVersion        = "GET /version"
	RouteListApps       = "GET /applications"
	RouteCreateApp      = "POST /applications/dockerimage"
	RouteGetApp         = "GET /applications/{uuid}"
	RouteUpdateApp      = "PATCH /applications/{uuid}"
	RouteDeleteApp      = "DELETE /applications/{uuid}"
	RouteListEnvs       = "GET /applications/{uuid}/envs"
	RouteBulkEnvs       = "PATCH /applications/{uuid}/envs/bulk"
	RouteStart          = "POST /applications/{uuid}/start"
	RouteStop           = "POST /applications/{uuid}/stop"
	RouteDeploy         = "POST /deploy"
	RouteGetDeployment  = "GET /deployments/{uuid}"
	RouteCancel         = "POST /deployments/{uuid}/cancel"
	RouteAppDeployments = "GET /deployments/applications/{uuid}"
)

// getRoutesThatMoved answer 405 as Coolify's OtherController::post_required
// does: these were GET routes and are POST now.
var getRoutesThatMoved = []string{"GET /deploy", "GET /applications/{uuid}/start",
	"GET /applications/{uuid}/stop", "GET /applications/{uuid}/restart"}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handlers := map[string]http.HandlerFunc{
		RouteHealth: s.health, RouteVersion: s.version, RouteListApps: s.listApps, RouteCreateApp: s.createApp,
		RouteGetApp: s.getApp, RouteUpdateApp: s.updateApp, RouteDeleteApp: s.deleteApp, RouteListEnvs: s.listEnvs,
		RouteBulkEnvs: s.bulkEnvs, RouteStart: s.start, RouteStop: s.stop, RouteDeploy: s.deploy,
		RouteGetDeployment: s.getDeployment, RouteCancel: s.cancelDeployment, RouteAppDeployments: s.appDeployments,
	}
	for route, h := range handlers {
		mux.Handle(prefixed(route), s.middleware(route, h))
	}
	for _, route := range getRoutesThatMoved {
		mux.Handle(prefixed(route), s.middleware(route, postRequired))
	}
	return mux
}

func prefixed(route string) string {
	method, path, _ := strings.Cut(route, " ")
	return method + " /api/v1" + path
}

// middleware counts the call, then plays Coolify's middleware stack in its
// order: throttle, authentication, then injected faults.
func (s *Server) middleware(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[route]++
		limited, retry := s.rate.hit(s.opts, route == RouteHealth, time.Now())
		f := s.takeFault(route)
		s.mu.Unlock()
		if limited {
			w.Header().Set("Retry-After", strconv.Itoa(retry))
			w.Header().Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
			w.Header().Set("X-RateLimit-Remaining", "0")
			writeJSON(w, http.StatusTooManyRequests, message("Too Many Attempts."))
			return
		}
		if route != RouteHealth && r.Header.Get("Authorization") != "Bearer "+s.opts.Token {
			writeJSON(w, http.StatusUnauthorized, message("Unauthenticated."))
			return
		}
		if f != nil && f.serve(w, r, h) {
			return
		}
		h(w, r)
	})
}

func postRequired(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Allow", "POST")
	writeJSON(w, http.StatusMethodNotAllowed, message("This endpoint has changed to a POST request."))
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_, _ = w.Write([]byte("OK"))
}

func (s *Server) version(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_, _ = w.Write([]byte("4.0.0-beta.fake"))
}

func message(m string) map[string]any { return map[string]any{"message": m} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// rateWindow is Laravel's fixed-window throttle, one window for the
// fake's one token. /health has its own, larger limit in Coolify; it is
// not counted here.
type rateWindow struct {
	start time.Time
	count int
}

// hit counts a request at now and says whether it is over the limit and,
// if so, the whole seconds until the window ends (as Retry-After).
func (rw *rateWindow) hit(o Options, health bool, now time.Time) (bool, int) {
	if health {
		return false, 0
	}
	if now.Sub(rw.start) >= o.RateWindow {
		rw.start, rw.count = now, 0
	}
	rw.count++
	if rw.count <= o.RateLimit {
		return false, 0
	}
	left := rw.start.Add(o.RateWindow).Sub(now)
	return true, max(1, int((left+time.Second-1)/time.Second))
}
