package trpc

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// screenshotReply is the upload's 201 body: plain JSON, not superjson. The
// bot parses capturedAt with new Date(), so it is an ISO string.
type screenshotReply struct {
	Key        string `json:"key"`
	CapturedAt string `json:"capturedAt"`
	Type       string `json:"type"`
	State      string `json:"state"`
	Trigger    string `json:"trigger,omitempty"`
}

// serveScreenshot handles POST /api/bots/{id}/screenshots. The order of the
// checks is the reference's: token (401), id (400), then the form.
func (s *server) serveScreenshot(w http.ResponseWriter, r *http.Request) {
	id, err := s.authenticate(r.Context(), r.Header.Get(TokenHeader))
	if err != nil {
		s.screenshotError(w, err, http.StatusUnauthorized, "Unauthorized")
		return
	}
	botID, ok := parseID(r.PathValue("id"))
	if !ok {
		writeJSONError(w, http.StatusBadRequest, "Invalid bot ID")
		return
	}
	if err := authorizeBot(id, botID); err != nil {
		writeJSONError(w, http.StatusForbidden, "Forbidden")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxScreenshotBytes)
	up, err := readScreenshot(r)
	if err != nil {
		writeFormError(w, err)
		return
	}
	info, err := s.backend.SaveScreenshot(r.Context(), id, botID, up)
	if err != nil {
		s.screenshotError(w, err, http.StatusInternalServerError, "Screenshot upload failed")
		return
	}
	writeJSON(w, http.StatusCreated, screenshotReply{
		Key: info.Key, CapturedAt: superjson.FormatTime(info.CapturedAt),
		Type: info.Type, State: info.State, Trigger: info.Trigger,
	})
}

// screenshotError answers a classified error with the route's plain JSON
// error body, and anything else with fallback.
func (s *server) screenshotError(w http.ResponseWriter, err error, status int, fallback string) {
	ce, ok := classify(err)
	switch {
	case !ok:
		s.opts.Logger.Error("screenshot upload failed", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "Screenshot upload failed")
	case ce.code == codeUnauthorized:
		writeJSONError(w, http.StatusUnauthorized, "Unauthorized")
	case ce.code == codeNotFound:
		writeJSONError(w, http.StatusNotFound, "Bot not found")
	case ce.code == codeForbidden:
		writeJSONError(w, http.StatusForbidden, "Forbidden")
	case ce.code.status < 500:
		writeJSONError(w, ce.code.status, ce.message)
	default:
		writeJSONError(w, status, fallback)
	}
}

// writeFormError answers a form that could not be read: 413 past the size
// cap, 400 otherwise.
func writeFormError(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSONError(w, http.StatusRequestEntityTooLarge, "Screenshot too large")
		return
	}
	var bad formError
	if errors.As(err, &bad) {
		writeJSONError(w, http.StatusBadRequest, string(bad))
		return
	}
	writeJSONError(w, http.StatusBadRequest, "Invalid form data")
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// discard drains what is left of a part the form does not use.
func discard(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// isMultipart reports whether the request carries multipart form data.
func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data")
}
