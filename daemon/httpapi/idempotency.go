package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

const idempotencyWindow = 24 * time.Hour

// idempotent makes a POST carrying an Idempotency-Key safe to retry: within
// 24 hours the same key and body replay the first answer; the same key with
// another request is refused. Server errors are not stored, so they can be
// retried.
func (a *API) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 {
			writeProblem(w, r, newProblem(http.StatusBadRequest, api.CodeBadRequest, "Idempotency-Key may be at most 255 bytes"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		hash := hex.EncodeToString(sum[:])
		userID := callerFrom(r.Context()).User.ID
		if a.replay(w, r, userID, key, hash) {
			return
		}
		rec := &captureWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status >= 500 {
			return
		}
		_, err = a.svc.Store.SaveIdempotentResponse(r.Context(), store.IdempotentResponse{
			UserID: userID, Key: key, RequestHash: hash, Status: rec.status, Body: rec.body.Bytes(), CreatedAt: a.now(),
		})
		if err != nil && !errors.Is(err, store.ErrConflict) {
			a.log.Error("store idempotent response", "err", err)
		}
	})
}

// replay answers from a stored response, if there is one.
func (a *API) replay(w http.ResponseWriter, r *http.Request, userID int64, key, hash string) bool {
	prev, err := a.svc.Store.GetIdempotentResponse(r.Context(), userID, key, a.now().Add(-idempotencyWindow))
	if err != nil {
		return false
	}
	if prev.RequestHash != hash {
		writeProblem(w, r, newProblem(http.StatusUnprocessableEntity, api.CodeIdempotencyMismatch,
			"this Idempotency-Key was used with a different request in the last 24 hours"))
		return true
	}
	w.Header().Set("Content-Type", "application/json")
	if prev.Status >= 400 {
		w.Header().Set("Content-Type", "application/problem+json")
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(prev.Status)
	_, _ = w.Write(prev.Body)
	return true
}

// captureWriter keeps a copy of the response for the idempotency store.
type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}
