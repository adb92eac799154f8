package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

const (
	idempotencyWindow = 24 * time.Hour
	// idempotencyLease bounds a claimed key's request: a daemon that dies
	// mid-request frees the key after it.
	idempotencyLease = 2 * time.Minute
	// idempotencyWait is how long a retry waits for the first request
	// holding its key before answering idempotency_in_progress.
	idempotencyWait = 10 * time.Second
)

// idempotent makes a POST carrying an Idempotency-Key safe to retry: the
// key is claimed in the database before the handler runs, so of any
// number of concurrent requests with one key exactly one runs; the others
// wait for its answer and replay it (or, after a while, get 409
// idempotency_in_progress). Within 24 hours the same key and body replay
// the first answer; the same key with another request is refused. Server
// errors release the key, so they can be retried.
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
		claim := store.IdempotencyClaim{UserID: callerFrom(r.Context()).User.ID, Key: key, RequestHash: hex.EncodeToString(sum[:]),
			Token: domain.NewSecret(""), LeaseFor: idempotencyLease}
		if !a.claimOrReplay(w, r, claim) {
			return
		}
		a.runClaimed(w, r, next, claim)
	})
}

// claimOrReplay claims the key, waiting for a request that holds it. It
// reports whether the caller should run the request; when not, it has
// answered.
func (a *API) claimOrReplay(w http.ResponseWriter, r *http.Request, claim store.IdempotencyClaim) bool {
	deadline := time.Now().Add(idempotencyWait)
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		claim.Now = a.now()
		claim.NotBefore = claim.Now.Add(-idempotencyWindow)
		st, err := a.svc.Store.ClaimIdempotencyKey(r.Context(), claim)
		switch {
		case err != nil:
			a.writeError(w, r, err)
			return false
		case st.Claimed:
			return true
		case st.RequestHash != claim.RequestHash:
			writeProblem(w, r, newProblem(http.StatusUnprocessableEntity, api.CodeIdempotencyMismatch,
				"this Idempotency-Key was used with a different request in the last 24 hours"))
			return false
		case st.Response != nil:
			replay(w, *st.Response)
			return false
		case time.Now().After(deadline):
			pe := newProblem(http.StatusConflict, api.CodeIdempotencyInProgress, "a request with this Idempotency-Key is still running; retry to get its answer")
			pe.retry = 1
			writeProblem(w, r, pe)
			return false
		}
		select {
		case <-r.Context().Done():
			return false
		case <-time.After(wait):
		}
	}
}

// runClaimed runs the request holding the key and stores its answer, with
// any secret taken out: a replay never shows a secret again.
func (a *API) runClaimed(w http.ResponseWriter, r *http.Request, next http.Handler, claim store.IdempotencyClaim) {
	rec := &captureWriter{ResponseWriter: w, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	// The answer is recorded even if the client went away: its retry must
	// find it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	var err error
	// A limit (429) is not the request's answer for good: the same request
	// succeeds once a bot ends or the day turns, so its key is freed for
	// that retry, as after a server error.
	if rec.status >= 500 || rec.status == http.StatusTooManyRequests {
		err = a.svc.Store.ReleaseIdempotencyKey(ctx, claim.UserID, claim.Key, claim.Token)
	} else {
		err = a.svc.Store.CompleteIdempotencyKey(ctx, store.IdempotentResponse{UserID: claim.UserID, Key: claim.Key,
			Status: rec.status, Body: withoutSecrets(rec.body.Bytes())}, claim.Token)
	}
	if err != nil {
		a.log.Error("record idempotent response", "err", err)
	}
}

// replay answers with a stored response.
func replay(w http.ResponseWriter, prev store.IdempotentResponse) {
	w.Header().Set("Content-Type", "application/json")
	if prev.Status >= 400 {
		w.Header().Set("Content-Type", "application/problem+json")
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(prev.Status)
	_, _ = w.Write(prev.Body)
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
