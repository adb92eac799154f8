package daemon

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// keyPrefix starts every API key, so a leaked key is recognisable by secret
// scanners and never confused with a bot token.
const keyPrefix = "mbk_"

type callerKey struct{}

// caller is who made a request.
type caller struct {
	user store.User
	key  store.APIKey
}

func (c caller) admin() bool { return c.user.Role == store.RoleAdmin }

func callerFrom(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
}

// newSecret returns prefix + 43 characters of URL-safe base64: 256 random bits.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// issueKey makes a key for a user and returns it with its secret, which is
// stored only as a hash.
func (s *Server) issueKey(ctx context.Context, userID int64, name string, days int) (api.CreatedKey, error) {
	secret := newSecret(keyPrefix)
	var expires *time.Time
	if days > 0 {
		t := s.now().Add(time.Duration(days) * 24 * time.Hour)
		expires = &t
	}
	k, err := s.store.CreateAPIKey(ctx, store.NewAPIKey{
		UserID: userID, Name: name, Prefix: secret[:len(keyPrefix)+8], Hash: hashSecret(secret), ExpiresAt: expires, Now: s.now(),
	})
	if err != nil {
		return api.CreatedKey{}, err
	}
	return api.CreatedKey{APIKey: keyToAPI(k), Secret: secret}, nil
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
// records the request in the request log (off the request path).
func (s *Server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := bearer(r)
		if secret == "" {
			writeProblem(w, r, newProblem(http.StatusUnauthorized, api.CodeUnauthorized, "send an API key as Authorization: Bearer <key>"))
			return
		}
		key, user, err := s.store.Authenticate(r.Context(), hashSecret(secret), s.now())
		if err != nil {
			writeProblem(w, r, newProblem(http.StatusUnauthorized, api.CodeUnauthorized, "the API key is unknown, revoked or expired"))
			return
		}
		if wait := s.limiter.take(key.ID, s.now()); wait > 0 {
			pe := newProblem(http.StatusTooManyRequests, api.CodeRateLimited, "rate limit of this key exceeded")
			pe.retry = int(wait.Seconds()) + 1
			writeProblem(w, r, pe)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), callerKey{}, caller{user: user, key: key})))
		s.reqlog.record(store.APIRequestLog{
			APIKeyID: key.ID, UserID: user.ID, Method: r.Method, Path: r.URL.Path, Status: rec.status,
			DurationMS: time.Since(start).Milliseconds(), IP: clientIP(r), CreatedAt: s.now(),
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

// requireAdmin answers 404 to non-admins: the admin surface does not exist
// for them.
func requireAdmin(r *http.Request) error {
	if !callerFrom(r.Context()).admin() {
		return errNotFound("resource")
	}
	return nil
}

// IssueKey makes an API key for a user; for tools and tests that manage a
// daemon they started.
func (s *Server) IssueKey(ctx context.Context, userID int64, name string) (api.CreatedKey, error) {
	return s.issueKey(ctx, userID, name, defaultKeyDays)
}
