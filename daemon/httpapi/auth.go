package httpapi

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

type callerKey struct{}

func callerFrom(ctx context.Context) domain.Caller {
	c, _ := ctx.Value(callerKey{}).(domain.Caller)
	return c
}

// bearer reads "Authorization: Bearer <key>", or the x-api-key header that
// callers of the original server send.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("x-api-key"))
}

// authenticated requires a live API key, applies the key's rate limit and
// records the request in the request log (off the request path). A
// database that cannot answer is a 503, never a 401: the key may well be
// good.
func (a *API) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := bearer(r)
		if secret == "" {
			writeProblem(w, r, newProblem(http.StatusUnauthorized, api.CodeUnauthorized, "send an API key as Authorization: Bearer <key>"))
			return
		}
		c, err := a.svc.Account.Authenticate(r.Context(), secret)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if wait := a.limiter.take(c.Key.ID, a.now()); wait > 0 {
			pe := newProblem(http.StatusTooManyRequests, api.CodeRateLimited, "rate limit of this key exceeded")
			pe.retry = int(wait.Seconds()) + 1
			writeProblem(w, r, pe)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
		a.svc.Account.Record(store.APIRequestLog{
			APIKeyID: c.Key.ID, UserID: c.User.ID, Method: r.Method, Path: r.URL.Path, Status: rec.status,
			DurationMS: time.Since(start).Milliseconds(), IP: clientIP(r), CreatedAt: a.now(),
		})
	})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusRecorder remembers the status a handler wrote. Unwrap lets
// http.ResponseController reach the real writer's Flush for event streams.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// adminOnly serves next to admin keys only; any other caller is answered
// as if the path did not exist, as the admin routes of the API are.
func (a *API) adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := callerFrom(r.Context()).RequireAdmin(); err != nil {
			a.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
